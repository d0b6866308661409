import { css } from 'lit';

export const linkStyles = css`
  :host {
    display: block;
    color: var(--fs-color-text, #1d2330);
  }
  form {
    display: grid;
    gap: var(--fs-space-2, 0.5rem);
    max-inline-size: 40rem;
  }
  label {
    font-weight: 600;
  }
  .hint {
    margin: 0;
    font-size: 0.875rem;
    color: var(--fs-color-text-muted, #5b6272);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--fs-space-2, 0.5rem);
  }
  input {
    flex: 1 1 16rem;
    min-inline-size: 0;
    padding: var(--fs-space-2, 0.5rem) var(--fs-space-3, 0.75rem);
    border: 1px solid var(--fs-color-border-strong, #8a93a6);
    border-radius: var(--fs-radius, 0.375rem);
    background: var(--fs-color-surface, #fff);
    font: inherit;
    color: inherit;
  }
  input[aria-invalid='true'] {
    border-color: var(--fs-color-danger, #b3261e);
  }
  .error {
    margin: 0;
    color: var(--fs-color-danger, #b3261e);
  }
  .progress {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--fs-space-2, 0.5rem) var(--fs-space-3, 0.75rem);
    margin: 0;
  }
  progress {
    flex: 1 1 10rem;
  }
`;
