import { css } from 'lit';

/**
 * The shared look of every fs-picker element. Each value reads an `--fs-*` custom property that a host
 * page may set, falling back to the documented default.
 */
export const baseStyles = css`
  :host {
    font-family: var(--fs-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--fs-font-size, 0.9375rem);
    color: var(--fs-color-text, #1d2330);
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: var(--fs-focus-ring-width, 2px) solid var(--fs-color-focus, #2457c5);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    color: inherit;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
