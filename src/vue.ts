import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { FsPicker } from './components/fs-picker/fs-picker.ts';
import type { FsPickerEventMap, FsPickerProperties } from './framework-types.ts';

/*
 * Typed templates for `<fs-picker>` in Vue 3 (vue-tsc / Volar). Types only: reference it once, e.g.
 * `import type {} from 'fs-picker/vue'`, register the element (`import 'fs-picker/define'`), and tell
 * Vue's template compiler that `fs-*` tags are custom elements:
 *
 *   app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('fs-');   // runtime compiler
 *   vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('fs-') } } })   // Vite
 *
 *   <fs-picker :api-key="key" server="https://files.example.com" services="ALFRESCO" multiple
 *     @fs-pick="(event) => save(event.detail.blobs)" @fs-close="closed" />
 *
 * Vue sets a bound value as a DOM property when the element has it (`apiKey`, `multiple`, …), and
 * `@fs-pick` listens for the `fs-pick` event (in render functions: `h('fs-picker', { onFsPick })`).
 * This is the shape Vue's guide gives for typing custom elements ("Web Components and TypeScript").
 */

/** `fs-picker` for Vue's type checker: the element, its settable properties and its events. */
export type FsPickerVueElement = new () => FsPicker & {
  $props: HTMLAttributes & FsPickerProperties & PublicProps;
  $emit: EmitFn<{ [Name in keyof FsPickerEventMap]: (event: FsPickerEventMap[Name]) => void }>;
};

declare module 'vue' {
  interface GlobalComponents {
    'fs-picker': FsPickerVueElement;
  }
}
