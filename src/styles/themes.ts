import { css, unsafeCSS } from 'lit';

/**
 * The colour tokens of the dark theme. The light values are each token's fallback where it is used, so a
 * page that sets a token on `fs-picker` (or any ancestor) always wins over both themes.
 */
const DARK_TOKENS = {
  '--fs-color-surface': '#161b26',
  '--fs-color-surface-raised': '#1f2633',
  '--fs-color-text': '#e6e9ef',
  '--fs-color-text-muted': '#a3abbb',
  '--fs-color-border': '#343c4c',
  '--fs-color-hover': '#252d3b',
  '--fs-color-selected': '#23385f',
  '--fs-color-focus': '#8fb0ff',
  '--fs-color-accent': '#7aa2ff',
  '--fs-color-accent-text': '#0d1220',
  '--fs-color-danger': '#ff8a80',
  '--fs-color-success': '#7bd88f',
  '--fs-color-backdrop': 'rgb(0 0 0 / 60%)',
} as const;

const declarations = unsafeCSS(
  Object.entries(DARK_TOKENS)
    .map(([name, value]) => `${name}: var(${name}-dark, ${value});`)
    .join('\n'),
);

/**
 * `theme="dark"` forces the dark theme, `theme="light"` the light one; without the attribute the picker
 * follows the person's `prefers-color-scheme`. Each dark value can also be replaced with `--fs-…-dark`.
 */
export const themeStyles = css`
  :host([theme='dark']) {
    ${declarations}
    color-scheme: dark;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${declarations}
      color-scheme: dark;
    }
  }
`;
