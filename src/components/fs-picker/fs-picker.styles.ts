import { css } from 'lit';

export const pickerStyles = css`
  :host {
    display: contents;
  }
  dialog {
    width: min(var(--fs-dialog-width, 52rem), calc(100vw - 2rem));
    height: min(var(--fs-dialog-height, 34rem), calc(100vh - 2rem));
    padding: 0;
    border: 0;
    border-radius: var(--fs-radius-dialog, 0.75rem);
    background: var(--fs-color-surface, #fff);
    color: inherit;
    box-shadow: var(--fs-shadow-dialog, 0 1rem 3rem rgb(0 0 0 / 25%));
  }
  dialog::backdrop {
    background: var(--fs-color-backdrop, rgb(16 22 36 / 45%));
  }
  .panel {
    display: grid;
    grid-template: auto 1fr / minmax(12rem, 16rem) 1fr;
    height: 100%;
  }
  header {
    grid-column: 1 / -1;
    display: flex;
    align-items: center;
    justify-content: space-between;
    padding: var(--fs-space-3, 0.75rem) var(--fs-space-4, 1rem);
    border-bottom: 1px solid var(--fs-color-border, #d5dae3);
  }
  h2 {
    margin: 0;
    font-size: 1.0625rem;
  }
  .close {
    width: 2rem;
    height: 2rem;
    border: 0;
    border-radius: var(--fs-radius, 0.375rem);
    background: transparent;
    font-size: 1.25rem;
    line-height: 1;
    cursor: pointer;
  }
  .close:hover {
    background: var(--fs-color-hover, #eef1f6);
  }
  nav {
    padding: var(--fs-space-2, 0.5rem);
    border-inline-end: 1px solid var(--fs-color-border, #d5dae3);
    overflow: auto;
  }
  .body {
    padding: var(--fs-space-4, 1rem);
    overflow: auto;
    color: var(--fs-color-text-muted, #5b6272);
  }
`;
