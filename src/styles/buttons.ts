import { css } from 'lit';

/**
 * The views' buttons: outlined by default, `.primary` for the one action that finishes a step, and
 * `aria-disabled` (which keeps the button focusable so its reason can be read) drawn as unavailable.
 */
export const buttonStyles = css`
  button {
    padding: var(--fs-space-2, 0.5rem) var(--fs-space-4, 1rem);
    border: 1px solid var(--fs-color-border, #d5dae3);
    border-radius: var(--fs-radius, 0.375rem);
    background: var(--fs-color-surface, #fff);
    cursor: pointer;
  }
  button:hover {
    background: var(--fs-color-hover, #eef1f6);
  }
  .primary {
    border-color: var(--fs-color-accent, #2457c5);
    background: var(--fs-color-accent, #2457c5);
    color: var(--fs-color-accent-text, #fff);
    font-weight: 600;
  }
  .primary:hover {
    filter: brightness(0.92);
  }
  button[aria-disabled='true'] {
    border-color: var(--fs-color-border, #d5dae3);
    background: var(--fs-color-hover, #eef1f6);
    color: var(--fs-color-text-muted, #5b6272);
    cursor: not-allowed;
  }
`;
