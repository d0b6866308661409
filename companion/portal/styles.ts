import { css } from 'lit';
import { baseStyles } from '../../src/styles/tokens.ts';
import { themeStyles } from '../../src/styles/themes.ts';

/** The portal's shared look: the picker's tokens and themes, plus panels, forms and buttons. */
export const portalStyles = [
  baseStyles,
  themeStyles,
  css`
    :host {
      display: block;
      color: var(--fs-color-text, #1d2330);
    }
    section[part='panel'] {
      background: var(--fs-color-surface, #ffffff);
      border: 1px solid var(--fs-color-border, #d5dae3);
      border-radius: var(--fs-radius, 0.5rem);
      padding: var(--fs-space-4, 1rem) var(--fs-space-5, 1.25rem);
      margin-block-end: var(--fs-space-4, 1rem);
    }
    h2 {
      font-size: 1.15rem;
      margin-block: 0 var(--fs-space-3, 0.75rem);
    }
    h3 {
      font-size: 1rem;
      margin-block: var(--fs-space-3, 0.75rem) var(--fs-space-2, 0.5rem);
    }
    p {
      margin-block: 0 var(--fs-space-3, 0.75rem);
    }
    .hint {
      color: var(--fs-color-text-muted, #5b6475);
      font-size: 0.875rem;
    }
    .field {
      display: grid;
      gap: 0.25rem;
      margin-block-end: var(--fs-space-3, 0.75rem);
      max-inline-size: 40rem;
    }
    label,
    legend {
      font-weight: 600;
    }
    input[type='text'],
    input[type='url'],
    input[type='password'],
    textarea,
    select {
      font: inherit;
      color: inherit;
      background: var(--fs-color-surface, #ffffff);
      border: 1px solid var(--fs-color-border-strong, #8a93a5);
      border-radius: var(--fs-radius-small, 0.25rem);
      padding: 0.4rem 0.5rem;
      inline-size: 100%;
    }
    input[aria-invalid='true'],
    textarea[aria-invalid='true'] {
      border-color: var(--fs-color-danger, #b3261e);
    }
    fieldset {
      border: 1px solid var(--fs-color-border, #d5dae3);
      border-radius: var(--fs-radius-small, 0.25rem);
      margin: 0 0 var(--fs-space-3, 0.75rem);
      max-inline-size: 40rem;
    }
    .check {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      font-weight: normal;
    }
    .error {
      color: var(--fs-color-danger, #b3261e);
      font-size: 0.875rem;
    }
    .ok {
      color: var(--fs-color-success, #1e7b34);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--fs-space-2, 0.5rem);
      align-items: center;
    }
    button {
      cursor: pointer;
      border: 1px solid var(--fs-color-border-strong, #8a93a5);
      border-radius: var(--fs-radius-small, 0.25rem);
      background: var(--fs-color-surface-raised, #f4f6f9);
      padding: 0.4rem 0.85rem;
    }
    button.primary {
      background: var(--fs-color-accent, #2457c5);
      border-color: var(--fs-color-accent, #2457c5);
      color: var(--fs-color-accent-text, #ffffff);
    }
    button.danger {
      color: var(--fs-color-danger, #b3261e);
    }
    button:disabled {
      cursor: default;
      opacity: 0.6;
    }
    code,
    output.secret {
      font-family: var(--fs-font-family-mono, ui-monospace, 'SFMono-Regular', Menlo, monospace);
      overflow-wrap: anywhere;
    }
    output.secret {
      display: block;
      padding: 0.5rem;
      margin-block: 0.5rem;
      border: 1px dashed var(--fs-color-border-strong, #8a93a5);
      background: var(--fs-color-surface-raised, #f4f6f9);
    }
    table {
      border-collapse: collapse;
      inline-size: 100%;
      font-size: 0.875rem;
    }
    th,
    td {
      text-align: start;
      padding: 0.35rem 0.5rem;
      border-block-end: 1px solid var(--fs-color-border, #d5dae3);
      vertical-align: top;
    }
    @media (prefers-reduced-motion: no-preference) {
      button {
        transition: background-color 120ms ease;
      }
    }
  `,
];
