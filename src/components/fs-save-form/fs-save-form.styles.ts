import { css } from 'lit';

export const saveFormStyles = css`
  :host {
    display: block;
    padding: var(--fs-space-3, 0.75rem) var(--fs-space-4, 1rem);
    border-block-start: 1px solid var(--fs-color-border, #d5dae3);
    background: var(--fs-color-surface, #fff);
  }
  form {
    display: grid;
    gap: var(--fs-space-2, 0.5rem);
  }
  .destination {
    margin: 0;
    color: var(--fs-color-text-muted, #5b6272);
    overflow-wrap: anywhere;
  }
  .destination strong {
    color: var(--fs-color-text, #1d2330);
    font-weight: 600;
  }
  .field {
    display: grid;
    gap: var(--fs-space-1, 0.25rem);
  }
  label {
    font-weight: 600;
  }
  input {
    font: inherit;
    color: inherit;
    inline-size: 100%;
    padding: var(--fs-space-2, 0.5rem) var(--fs-space-3, 0.75rem);
    border: 1px solid var(--fs-color-border, #d5dae3);
    border-radius: var(--fs-radius, 0.375rem);
    background: var(--fs-color-surface, #fff);
  }
  input[aria-invalid='true'] {
    border-color: var(--fs-color-danger, #b3261e);
  }
  .message {
    margin: 0;
    font-size: 0.875rem;
  }
  .invalid,
  .failure {
    color: var(--fs-color-danger, #b3261e);
  }
  .reason {
    color: var(--fs-color-text-muted, #5b6272);
  }
  .done {
    color: var(--fs-color-success, #1e7a3c);
  }
  .conflict {
    display: grid;
    gap: var(--fs-space-2, 0.5rem);
    padding: var(--fs-space-3, 0.75rem);
    border: 1px solid var(--fs-color-border, #d5dae3);
    border-inline-start: 4px solid var(--fs-color-warning, #8a4b00);
    border-radius: var(--fs-radius, 0.375rem);
    background: var(--fs-color-surface-raised, #f4f6fa);
  }
  .conflict p {
    margin: 0;
    font-weight: 600;
  }
  .progress {
    display: grid;
    gap: var(--fs-space-1, 0.25rem);
  }
  progress {
    inline-size: 100%;
    block-size: 0.5rem;
    accent-color: var(--fs-color-accent, #2457c5);
  }
  .actions,
  .choices {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: var(--fs-space-2, 0.5rem);
  }
  .choices {
    justify-content: flex-start;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
    }
  }
`;
