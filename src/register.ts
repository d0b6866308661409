/**
 * Defines each element under its tag unless the tag is taken: an embeddable widget is often loaded twice
 * on a page, and a second registration is skipped rather than throwing.
 */
export function register(elements: Record<string, CustomElementConstructor>): void {
  for (const [tag, element] of Object.entries(elements)) {
    if (!customElements.get(tag)) customElements.define(tag, element);
  }
}
