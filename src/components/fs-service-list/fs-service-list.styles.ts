import { css } from 'lit';

export const serviceListStyles = css`
  :host {
    display: block;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--fs-space-1, 0.25rem);
  }
  button {
    display: flex;
    align-items: center;
    gap: var(--fs-space-2, 0.5rem);
    width: 100%;
    padding: var(--fs-space-2, 0.5rem) var(--fs-space-3, 0.75rem);
    border: 0;
    border-radius: var(--fs-radius, 0.375rem);
    background: transparent;
    /* The picker's text colour (and theme), not the system's button colour. */
    color: inherit;
    text-align: start;
    cursor: pointer;
  }
  button:hover {
    background: var(--fs-color-hover, #eef1f6);
  }
  button[aria-current='true'] {
    background: var(--fs-color-selected, #dde6f8);
    font-weight: 600;
  }
  button[aria-disabled='true'] {
    color: var(--fs-color-text-muted, #5b6272);
    cursor: not-allowed;
  }
  svg {
    flex: none;
    width: 1.25rem;
    height: 1.25rem;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.75;
  }
  .detail {
    display: block;
    font-size: 0.8125rem;
    font-weight: 400;
    color: var(--fs-color-text-muted, #5b6272);
  }
  .state {
    margin: 0;
    padding: var(--fs-space-2, 0.5rem) var(--fs-space-3, 0.75rem);
    color: var(--fs-color-text-muted, #5b6272);
  }
  .state button {
    display: inline;
    width: auto;
    padding: 0;
    color: var(--fs-color-link, var(--fs-color-accent, #2457c5));
    text-decoration: underline;
  }
  /* Narrow screens: the sources in one row, names only. */
  @media (max-width: 40rem) {
    ul {
      grid-auto-flow: column;
      grid-auto-columns: 1fr;
    }
    button {
      justify-content: center;
    }
    .detail {
      display: none;
    }
  }
`;
