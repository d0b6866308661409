import { css } from 'lit';

export const uploadStyles = css`
  :host {
    display: grid;
    gap: var(--fs-space-3, 0.75rem);
    align-content: start;
    color: var(--fs-color-text, #1d2330);
  }
  .drop {
    display: grid;
    justify-items: center;
    gap: var(--fs-space-2, 0.5rem);
    padding: var(--fs-space-5, 1.5rem) var(--fs-space-4, 1rem);
    border: 2px dashed var(--fs-color-border-strong, #8a93a6);
    border-radius: var(--fs-radius-large, 0.625rem);
    background: var(--fs-color-drop, transparent);
    text-align: center;
    transition: background-color 120ms ease, border-color 120ms ease;
  }
  .drop.over {
    border-color: var(--fs-color-accent, #2457c5);
    background: var(--fs-color-drop-over, color-mix(in srgb, var(--fs-color-accent, #2457c5) 10%, transparent));
  }
  .drop svg {
    width: 2rem;
    height: 2rem;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.75;
    color: var(--fs-color-text-muted, #5b6272);
  }
  .drop p {
    margin: 0;
  }
  .limits,
  .muted {
    font-size: 0.875rem;
    color: var(--fs-color-text-muted, #5b6272);
  }
  /* The per-file buttons are smaller than the shared default; the primary action keeps its size. */
  button:not(.primary) {
    padding: var(--fs-space-1, 0.25rem) var(--fs-space-3, 0.75rem);
  }
  .rejected {
    padding: var(--fs-space-2, 0.5rem) var(--fs-space-3, 0.75rem);
    border-inline-start: 3px solid var(--fs-color-danger, #b3261e);
    background: color-mix(in srgb, var(--fs-color-danger, #b3261e) 8%, transparent);
  }
  .rejected p,
  .rejected ul {
    margin: 0;
  }
  .rejected ul {
    padding-inline-start: var(--fs-space-4, 1rem);
  }
  .total {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--fs-space-2, 0.5rem) var(--fs-space-3, 0.75rem);
  }
  .total progress {
    flex: 1 1 10rem;
  }
  ul.files {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--fs-space-2, 0.5rem);
  }
  li.file {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: var(--fs-space-1, 0.25rem) var(--fs-space-3, 0.75rem);
    align-items: center;
    padding: var(--fs-space-2, 0.5rem) var(--fs-space-3, 0.75rem);
    border: 1px solid var(--fs-color-border, #d5dae3);
    border-radius: var(--fs-radius, 0.375rem);
  }
  .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 600;
  }
  .file progress {
    grid-column: 1 / -1;
    inline-size: 100%;
  }
  .file .status {
    font-size: 0.875rem;
    color: var(--fs-color-text-muted, #5b6272);
  }
  .file[data-status='failed'] .status {
    color: var(--fs-color-danger, #b3261e);
  }
  .file .buttons {
    display: flex;
    gap: var(--fs-space-1, 0.25rem);
    justify-content: end;
  }
  .footer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: end;
    gap: var(--fs-space-2, 0.5rem) var(--fs-space-3, 0.75rem);
  }
  .footer p {
    margin: 0;
    margin-inline-end: auto;
  }
  @media (prefers-reduced-motion: reduce) {
    .drop {
      transition: none;
    }
  }
`;
