import { css } from 'lit';

export const connectStyles = css`
  :host {
    display: block;
  }
  [part='base'] {
    display: grid;
    justify-items: start;
    gap: var(--fs-space-3, 0.75rem);
    max-width: var(--fs-connect-max-width, 30rem);
    margin-inline: auto;
    padding: var(--fs-space-5, 1.5rem) var(--fs-space-4, 1rem);
  }
  .icon {
    width: 2.5rem;
    height: 2.5rem;
    fill: none;
    stroke: var(--fs-color-accent, #2457c5);
    stroke-width: 1.5;
  }
  h3 {
    margin: 0;
    font-size: 1.125rem;
    font-weight: 600;
  }
  p {
    margin: 0;
    line-height: 1.5;
  }
  .privacy {
    color: var(--fs-color-text-muted, #5b6272);
    font-size: 0.875rem;
  }
  [part='message'] {
    padding-block: var(--fs-space-2, 0.5rem);
    padding-inline: var(--fs-space-3, 0.75rem);
    border-inline-start: 3px solid var(--fs-color-border, #d5dae3);
    background: var(--fs-color-surface-raised, #f4f6fa);
    border-radius: var(--fs-radius, 0.375rem);
    justify-self: stretch;
  }
  [part='message'][data-tone='problem'] {
    border-inline-start-color: var(--fs-color-danger, #b3261e);
  }
  [part='message'][data-tone='success'] {
    border-inline-start-color: var(--fs-color-success, #1e7a3c);
  }
  [part='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--fs-space-2, 0.5rem);
  }
  button {
    min-height: 2.5rem;
    padding-block: var(--fs-space-2, 0.5rem);
    padding-inline: var(--fs-space-4, 1rem);
    border-radius: var(--fs-radius, 0.375rem);
    border: 1px solid var(--fs-color-text-muted, #5b6272);
    background: var(--fs-color-surface, #fff);
    cursor: pointer;
  }
  button:hover {
    background: var(--fs-color-hover, #eef1f6);
  }
  button.primary {
    border-color: var(--fs-color-accent, #2457c5);
    background: var(--fs-color-accent, #2457c5);
    color: var(--fs-color-accent-text, #fff);
    font-weight: 600;
  }
  button.primary:hover {
    filter: brightness(0.92);
  }
  .waiting {
    display: inline-flex;
    gap: 0.25rem;
    margin-inline-end: var(--fs-space-2, 0.5rem);
    vertical-align: middle;
  }
  .waiting span {
    width: 0.4rem;
    height: 0.4rem;
    border-radius: 50%;
    background: var(--fs-color-accent, #2457c5);
    animation: fs-connect-pulse 1.2s ease-in-out infinite;
  }
  .waiting span:nth-child(2) {
    animation-delay: 0.2s;
  }
  .waiting span:nth-child(3) {
    animation-delay: 0.4s;
  }
  @keyframes fs-connect-pulse {
    0%,
    80%,
    100% {
      opacity: 0.25;
    }
    40% {
      opacity: 1;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .waiting span {
      animation: none;
      opacity: 0.6;
    }
  }
`;
