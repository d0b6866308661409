import { css } from 'lit';

export const pickerStyles = css`
  :host {
    display: contents;
  }
  :host([display='inline']) {
    display: block;
  }
  dialog {
    width: min(var(--fs-dialog-width, 60rem), calc(100vw - 2rem));
    height: min(var(--fs-dialog-height, 42rem), calc(100vh - 2rem));
    padding: 0;
    border: 0;
    border-radius: var(--fs-radius-dialog, 0.75rem);
    background: var(--fs-color-surface, #fff);
    color: var(--fs-color-text, #1d2330);
    box-shadow: var(--fs-shadow-dialog, 0 1rem 3rem rgb(0 0 0 / 25%));
  }
  :host([display='inline']) dialog {
    position: static;
    width: 100%;
    max-width: none;
    margin: 0;
    border: 1px solid var(--fs-color-border, #d5dae3);
    box-shadow: none;
  }
  dialog::backdrop {
    background: var(--fs-color-backdrop, rgb(16 22 36 / 45%));
  }
  .panel {
    display: grid;
    grid-template: auto 1fr / minmax(11rem, 15rem) 1fr;
    height: 100%;
  }
  header {
    grid-column: 1 / -1;
    display: flex;
    align-items: center;
    justify-content: space-between;
    padding: var(--fs-space-3, 0.75rem) var(--fs-space-4, 1rem);
    border-block-end: 1px solid var(--fs-color-border, #d5dae3);
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
    display: flex;
    flex-direction: column;
    gap: var(--fs-space-2, 0.5rem);
    padding: var(--fs-space-3, 0.75rem) var(--fs-space-4, 1rem);
    min-width: 0;
    min-height: 0;
    overflow: hidden;
  }
  .body > fs-browser,
  .body > fs-upload,
  .body > fs-link,
  .body > fs-connect {
    flex: 1;
    min-height: 0;
  }
  .prompt {
    margin: 0;
    color: var(--fs-color-text-muted, #5b6272);
  }
  /* Narrow screens: the sources become a row above the files. */
  @media (max-width: 40rem) {
    dialog {
      width: 100vw;
      height: 100dvh;
      max-width: none;
      max-height: none;
      border-radius: 0;
    }
    .panel {
      grid-template: auto auto 1fr / 1fr;
    }
    nav {
      border-inline-end: 0;
      border-block-end: 1px solid var(--fs-color-border, #d5dae3);
    }
  }
`;
