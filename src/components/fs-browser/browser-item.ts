import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { formatBytes, formatDateTime } from '../../core/format.ts';
import type { PickerConfig } from '../../core/picker-state.ts';
import { isSelectable } from '../../core/selection.ts';
import type { BrowseItem } from '../../protocol/browse.ts';
import { typeIcon } from './icons.ts';

/** What every item's template needs: the same for all items of one render. */
export interface ItemContext {
  /** The index of the keyboard's active item. */
  active: number;
  /** The ids of the selected items. */
  selected: ReadonlySet<string>;
  /** `aria-setsize`: the number of items, or -1 while more pages may follow. */
  total: number;
  /** Several items may be chosen: selectable items show a check box. */
  multiple: boolean;
  config: PickerConfig | undefined;
  /** The locale dates and sizes are written in. */
  lang: string;
  /** Items whose thumbnail failed to load: they show their type icon. */
  brokenThumbnails: ReadonlySet<string>;
  clicked(event: MouseEvent, index: number): void;
  doubleClicked(index: number): void;
  thumbnailFailed(id: string): void;
}

/** One item: a row in the list, a tile in the grid (the stylesheet lays it out). */
export function renderItem(item: BrowseItem, index: number, context: ItemContext) {
  const { config } = context;
  const selectable = config ? isSelectable(item, config) : false;
  const disabled = !item.isFolder && !selectable;
  const thumbnail = item.thumbnailUrl && !context.brokenThumbnails.has(item.id);
  return html`<div
        role="option"
        part="item"
        id="item-${index}"
        class="item ${index === context.active ? 'active' : ''}"
        data-id=${item.id}
        aria-selected=${context.selected.has(item.id) ? 'true' : 'false'}
        aria-disabled=${disabled ? 'true' : nothing}
        aria-setsize=${context.total}
        aria-posinset=${index + 1}
        @click=${(event: MouseEvent) => context.clicked(event, index)}
        @dblclick=${() => context.doubleClicked(index)}
      >
        ${context.multiple && selectable ? html`<span class="check" aria-hidden="true"></span>` : nothing}
        <span class="thumb">
          ${thumbnail
            ? html`<img src=${item.thumbnailUrl!} alt="" loading="lazy" decoding="async" @error=${() => context.thumbnailFailed(item.id)} />`
            : typeIcon(item)}
        </span>
        <span class="name">${item.name}</span>
        <span class="meta modified">${formatDateTime(item.modified, context.lang)}</span>
        <span class="meta size">${item.isFolder ? msg('Folder') : formatBytes(item.size, context.lang)}</span>
      </div>`;
}
