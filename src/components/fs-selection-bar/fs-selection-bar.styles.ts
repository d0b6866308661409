import { css } from 'lit';

export const selectionBarStyles = css`
  :host {
    display: block;
    border-block-start: 1px solid var(--fs-color-border, #d5dae3);
    background: var(--fs-color-surface, #fff);
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--fs-space-2, 0.5rem) var(--fs-space-3, 0.75rem);
    padding: var(--fs-space-3, 0.75rem) var(--fs-space-4, 1rem);
  }
  .info {
    flex: 1 1 12rem;
    min-width: 0;
    display: grid;
    gap: var(--fs-space-1, 0.25rem);
  }
  .summary {
    margin: 0;
    font-weight: 600;
  }
  .hint,
  .progress {
    margin: 0;
    font-size: 0.875rem;
    color: var(--fs-color-text-muted, #5b6272);
  }
  .error {
    margin: 0;
    font-size: 0.875rem;
    color: var(--fs-color-danger, #b3261e);
  }
  .actions {
    display: flex;
    gap: var(--fs-space-2, 0.5rem);
    margin-inline-start: auto;
  }
  progress {
    inline-size: 100%;
    max-inline-size: 16rem;
  }
`;
