import { html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { PortalError, type PortalApi, type PortalApp } from './api.ts';
import { portalStyles } from './styles.ts';

export interface FieldOptions {
  type?: 'text' | 'url' | 'password';
  hint?: string;
  placeholder?: string;
  autocomplete?: string;
  required?: boolean;
  /** The key of the server's per-field error, when it differs from `name`. */
  errorKey?: string;
}

/**
 * What every panel of the portal shares: the app and the API client (set by `fs-portal`), the errors of
 * the last save by field, a status line (a polite live region), and labelled fields that name their error.
 * A panel that changes the app fires `fs-portal-app-change` with the app as it is now.
 */
export class PortalPanel extends LitElement {
  static override styles = portalStyles;

  static override properties: PropertyDeclarations = {
    app: { attribute: false },
    api: { attribute: false },
    errors: { state: true },
    status: { state: true },
    busy: { state: true },
  };

  declare app: PortalApp | undefined;
  declare api: PortalApi | undefined;
  declare errors: Record<string, string>;
  declare status: { kind: 'ok' | 'error'; text: string } | undefined;
  declare busy: boolean;

  constructor() {
    super();
    this.app = undefined;
    this.api = undefined;
    this.errors = {};
    this.status = undefined;
    this.busy = false;
  }

  /** Runs a call; on refusal keeps the server's per-field errors and says what went wrong. */
  protected async run<T>(work: () => Promise<T>, done?: string): Promise<T | undefined> {
    this.busy = true;
    this.errors = {};
    this.status = undefined;
    try {
      const result = await work();
      if (done) this.status = { kind: 'ok', text: done };
      return result;
    } catch (error) {
      if (error instanceof PortalError) {
        this.errors = error.fields;
        this.status = { kind: 'error', text: Object.keys(error.fields).length > 0 ? 'Not saved: correct the fields marked below.' : error.message };
        if (error.status === 401) this.dispatchEvent(new Event('fs-portal-signed-out', { bubbles: true, composed: true }));
      } else {
        this.status = { kind: 'error', text: 'Something went wrong.' };
      }
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  protected changed(app: PortalApp): void {
    this.app = app;
    this.dispatchEvent(new CustomEvent<PortalApp>('fs-portal-app-change', { detail: app, bubbles: true, composed: true }));
  }

  protected field(name: string, label: string, value: string, options: FieldOptions = {}): TemplateResult {
    const id = `field-${name.replaceAll('.', '-')}`;
    const error = this.errors[options.errorKey ?? name];
    const described = [options.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field" part="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        name=${name}
        type=${options.type ?? 'text'}
        .value=${value}
        placeholder=${ifDefined(options.placeholder)}
        autocomplete=${options.autocomplete ?? 'off'}
        ?required=${options.required ?? false}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${ifDefined(described || undefined)}
      />
      ${options.hint ? html`<span id="${id}-hint" class="hint">${options.hint}</span>` : nothing}
      ${error ? html`<span id="${id}-error" class="error">${label}: ${error}</span>` : nothing}
    </div>`;
  }

  /** The status line: always in the DOM so screen readers hear its changes. */
  protected statusLine(): TemplateResult {
    return html`<p role="status" class=${this.status?.kind === 'error' ? 'error' : 'ok'} part="status">${this.status?.text ?? ''}</p>`;
  }
}

/** The string values of a submitted form. */
export function formValues(event: Event): Record<string, string> {
  event.preventDefault();
  const form = event.target as HTMLFormElement;
  const values: Record<string, string> = {};
  for (const [key, value] of new FormData(form)) if (typeof value === 'string') values[key] = value.trim();
  return values;
}
