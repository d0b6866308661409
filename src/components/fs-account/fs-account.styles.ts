import { css } from 'lit';

export const accountStyles = css`
  :host {
    display: block;
  }
  [part='base'] {
    display: flex;
    align-items: center;
    gap: var(--fs-space-2, 0.5rem);
    padding-block: var(--fs-space-1, 0.25rem);
    padding-inline: var(--fs-space-3, 0.75rem);
  }
  [part='identity'] {
    flex: 1 1 0;
    min-width: 0;
    margin: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    color: var(--fs-color-text-muted, #5b6272);
    font-size: 0.875rem;
  }
  [part='name'] {
    color: var(--fs-color-text, #1d2330);
    font-weight: 600;
  }
  [part='sign-out'] {
    flex: none;
    margin-inline-start: auto;
    padding-block: var(--fs-space-1, 0.25rem);
    padding-inline: var(--fs-space-2, 0.5rem);
    border: 1px solid transparent;
    border-radius: var(--fs-radius, 0.375rem);
    background: transparent;
    color: var(--fs-color-link, var(--fs-color-accent, #2457c5));
    font-size: 0.875rem;
    text-decoration: underline;
    cursor: pointer;
  }
  [part='sign-out']:hover {
    background: var(--fs-color-hover, #eef1f6);
  }
  [part='sign-out'][aria-disabled='true'] {
    color: var(--fs-color-text-muted, #5b6272);
    cursor: progress;
  }
`;
