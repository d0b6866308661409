import { css } from 'lit';

export const browserStyles = css`
  /* A flex column all the way down to the scroller, so inside the picker the list fills the height left
     and scrolls on its own (standalone, the scroller takes --fs-browser-height). */
  :host {
    display: flex;
    flex-direction: column;
    min-block-size: 0;
    container-type: inline-size;
    --_accent: var(--fs-color-accent, #2457c5);
    --_border: var(--fs-color-border, #d5dae3);
    --_muted: var(--fs-color-muted, #5b6474);
    --_selected: var(--fs-color-selected, #dde6f8);
    --_hover: var(--fs-color-hover, #eef1f6);
    --_surface: var(--fs-color-surface, #ffffff);
  }
  [hidden] {
    display: none !important;
  }
  .layout {
    flex: 1;
    min-block-size: 0;
    display: grid;
    grid-template: auto minmax(0, 1fr) / minmax(0, 1fr);
    gap: var(--fs-space-3, 0.75rem);
  }
  @container (min-width: 720px) {
    .layout {
      grid-template: minmax(0, 1fr) / var(--fs-browser-sidebar-width, 13rem) minmax(0, 1fr);
    }
    .locations ul {
      flex-direction: column;
      overflow-x: visible;
    }
  }
  .locations ul,
  .crumbs ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
  }
  .locations ul {
    gap: var(--fs-space-1, 0.25rem);
    overflow-x: auto;
  }
  .locations button {
    inline-size: 100%;
    text-align: start;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
    border: 0;
    border-radius: var(--fs-radius, 6px);
    background: none;
    padding-block: 0.45rem;
    padding-inline: 0.6rem;
    cursor: pointer;
  }
  .locations button:hover {
    background: var(--_hover);
  }
  .locations button[aria-current='true'] {
    background: var(--_selected);
    font-weight: 600;
  }
  .main {
    display: flex;
    flex-direction: column;
    gap: var(--fs-space-2, 0.5rem);
    min-inline-size: 0;
    min-block-size: 0;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: var(--fs-space-2, 0.5rem);
    align-items: center;
  }
  .search {
    flex: 1 1 12rem;
    display: flex;
    gap: var(--fs-space-1, 0.25rem);
  }
  input[type='search'],
  select {
    font: inherit;
    color: inherit;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--fs-radius, 6px);
    padding-block: 0.35rem;
    padding-inline: 0.5rem;
    min-inline-size: 0;
  }
  input[type='search'] {
    flex: 1 1 auto;
  }
  .tool,
  .state button,
  .search button {
    border: 1px solid var(--_border);
    border-radius: var(--fs-radius, 6px);
    background: var(--_surface);
    padding-block: 0.35rem;
    padding-inline: 0.6rem;
    cursor: pointer;
  }
  .views {
    display: inline-flex;
  }
  .views .tool {
    display: inline-flex;
    align-items: center;
  }
  .views .tool:first-child {
    border-start-end-radius: 0;
    border-end-end-radius: 0;
  }
  .views .tool:last-child {
    border-start-start-radius: 0;
    border-end-start-radius: 0;
    margin-inline-start: -1px;
  }
  .tool[aria-pressed='true'] {
    background: var(--_selected);
  }
  .tool svg {
    inline-size: 1.1rem;
    block-size: 1.1rem;
  }
  .crumbs ol {
    flex-wrap: wrap;
    align-items: center;
    gap: 0.15rem;
  }
  .crumbs li + li::before {
    content: '›';
    color: var(--_muted);
    margin-inline-end: 0.15rem;
  }
  .crumbs button {
    border: 0;
    background: none;
    padding: 0.2rem 0.3rem;
    border-radius: var(--fs-radius, 6px);
    cursor: pointer;
    color: var(--_accent);
    text-decoration: underline;
  }
  .crumbs button[aria-current='location'] {
    color: inherit;
    text-decoration: none;
    font-weight: 600;
    cursor: default;
  }
  .notice {
    margin: 0;
    min-block-size: 1.25rem;
    color: var(--fs-color-warning, #8a4b00);
  }
  .scroller {
    position: relative;
    flex: 1 1 var(--fs-browser-height, 24rem);
    min-block-size: 6rem;
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--fs-radius, 6px);
    background: var(--_surface);
  }
  [role='listbox'] {
    outline: none;
    min-block-size: 100%;
  }
  [role='listbox']:focus-visible {
    box-shadow: inset 0 0 0 var(--fs-focus-ring-width, 2px) var(--fs-color-focus, #2457c5);
  }
  .item {
    display: flex;
    align-items: center;
    gap: var(--fs-space-2, 0.5rem);
    inline-size: 100%;
    padding-block: 0.35rem;
    padding-inline: 0.6rem;
    cursor: pointer;
    user-select: none;
    border-radius: var(--fs-radius, 6px);
  }
  .item:hover {
    background: var(--_hover);
  }
  .item[aria-selected='true'] {
    background: var(--_selected);
  }
  .item[aria-disabled='true'] {
    color: var(--_muted);
    cursor: default;
    opacity: 0.65;
  }
  [role='listbox']:focus-visible .item.active {
    outline: var(--fs-focus-ring-width, 2px) solid var(--fs-color-focus, #2457c5);
    outline-offset: -3px;
  }
  .thumb {
    flex: none;
    inline-size: 2rem;
    block-size: 2rem;
    display: grid;
    place-items: center;
    color: var(--_muted);
  }
  .thumb img {
    max-inline-size: 100%;
    max-block-size: 100%;
    object-fit: contain;
  }
  .type-icon {
    inline-size: 100%;
    block-size: 100%;
  }
  .name {
    flex: 1 1 auto;
    min-inline-size: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .meta {
    flex: none;
    color: var(--_muted);
    font-size: 0.875em;
    text-align: end;
  }
  .modified {
    inline-size: 10rem;
  }
  .size {
    inline-size: 5rem;
  }
  @container (max-width: 520px) {
    .modified {
      display: none;
    }
  }
  .check {
    flex: none;
    inline-size: 1.1rem;
    block-size: 1.1rem;
    border: 1.5px solid var(--_muted);
    border-radius: 4px;
    display: grid;
    place-items: center;
    font-size: 0.8rem;
    line-height: 1;
  }
  .item[aria-selected='true'] .check {
    background: var(--_accent);
    border-color: var(--_accent);
    color: #fff;
  }
  .item[aria-selected='true'] .check::after {
    content: '✓';
  }
  .grid .item {
    flex-direction: column;
    justify-content: flex-start;
    inline-size: var(--fs-browser-tile-width, 9rem);
    block-size: 10rem;
    padding: 0.5rem;
    text-align: center;
    position: relative;
  }
  .grid .thumb {
    inline-size: 100%;
    block-size: 6.5rem;
  }
  .grid .thumb .type-icon {
    inline-size: 3.5rem;
    block-size: 3.5rem;
  }
  .grid .name {
    inline-size: 100%;
    white-space: normal;
    display: -webkit-box;
    -webkit-line-clamp: 2;
    -webkit-box-orient: vertical;
    font-size: 0.875em;
  }
  .grid .check {
    position: absolute;
    inset-block-start: 0.4rem;
    inset-inline-start: 0.4rem;
    background: var(--_surface);
  }
  .grid .meta {
    display: none;
  }
  /*
   * The virtualizer places tiles with physical left/top offsets. Right to left, the grid is mirrored
   * as a whole and each tile's content mirrored back, so the first tile sits at the right edge.
   */
  :host(:dir(rtl)) .grid [role='listbox'] {
    transform: scaleX(-1);
  }
  :host(:dir(rtl)) .grid .item > * {
    transform: scaleX(-1);
  }
  :host(:dir(rtl)) .grid .check {
    inset-inline-start: auto;
    inset-inline-end: 0.4rem;
  }
  .state {
    margin: 0;
    padding: var(--fs-space-4, 1rem);
    color: var(--_muted);
    text-align: center;
  }
  .state[role='alert'] {
    color: var(--fs-color-danger, #a4262c);
  }
  .more {
    margin: 0;
    padding: 0.4rem;
    text-align: center;
    color: var(--_muted);
    font-size: 0.875em;
  }
  @media (prefers-reduced-motion: no-preference) {
    .item,
    .locations button {
      transition: background-color 120ms ease;
    }
  }
`;
