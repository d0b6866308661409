import { svg } from 'lit';
import type { BrowseItem } from '../../protocol/browse.ts';

/** Type icons for items without a thumbnail (and while one loads). Decorative: the name says what it is. */
const wrap = (body: ReturnType<typeof svg>) =>
  svg`<svg class="type-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round">${body}</svg>`;

export const FOLDER_ICON = wrap(svg`<path d="M3 6.5A1.5 1.5 0 0 1 4.5 5h4.2l2 2h8.8A1.5 1.5 0 0 1 21 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z" fill="var(--fs-color-folder, #f2c14e)" stroke="var(--fs-color-folder-edge, #b8891c)"/>`);
const FILE = svg`<path d="M6 3h8l4 4v14H6z"/><path d="M14 3v4h4"/>`;
const FILE_ICON = wrap(FILE);
const IMAGE_ICON = wrap(svg`${FILE}<circle cx="10" cy="12" r="1.4"/><path d="m7.5 18 3.2-3.4 2 2 1.8-1.6 2 3"/>`);
const TEXT_ICON = wrap(svg`${FILE}<path d="M9 12h6M9 15h6M9 18h4"/>`);
const MEDIA_ICON = wrap(svg`${FILE}<path d="m10 12 4.5 2.8L10 17.6z"/>`);

export function typeIcon(item: BrowseItem) {
  if (item.isFolder) return FOLDER_ICON;
  const type = item.mimetype;
  if (type.startsWith('image/')) return IMAGE_ICON;
  if (type.startsWith('video/') || type.startsWith('audio/')) return MEDIA_ICON;
  if (type.startsWith('text/') || type.includes('pdf') || type.includes('word') || type.includes('document')) return TEXT_ICON;
  return FILE_ICON;
}
