import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { FsPicker } from './components/fs-picker/fs-picker.ts';
import type { FsPickerEventMap, FsPickerProperties } from './framework-types.ts';

/*
 * Typed JSX for `<fs-picker>` in React 19. Types only: reference it once, e.g. `import type {} from
 * 'fs-picker/react'` (or a triple-slash reference), and register the element as usual
 * (`import 'fs-picker/define'`) before React renders it.
 *
 *   <fs-picker
 *     apiKey="APP_KEY" server="https://files.example.com" services="ALFRESCO" multiple
 *     onfs-pick={(event) => save(event.detail.blobs)}
 *     onfs-close={(event) => console.log(event.detail.reason)}
 *   />
 *
 * React 19 sets a prop as a DOM property when the element has it (`apiKey`, `multiple`, …: so the element
 * must be defined first) and adds a listener for a function prop named `on` + the event's exact name: the
 * events are `onfs-pick`, `onfs-close`, … (React keeps the case, so `onFsPick` would listen for "FsPick").
 * Methods (`open()`, `pick()`, `save()`) are reached through a `ref`.
 */

/** `onfs-pick`, `onfs-close`, …: a listener per event of {@link FsPickerEventMap}, as React 19 adds them. */
export type FsPickerReactEvents = {
  [Name in keyof FsPickerEventMap as `on${Name}`]?: (event: FsPickerEventMap[Name]) => void;
};

/** The props of `<fs-picker>` in JSX: the usual HTML attributes, `ref`, the element's properties and its events. */
export type FsPickerReactProps = DetailedHTMLProps<HTMLAttributes<FsPicker>, FsPicker> & FsPickerProperties & FsPickerReactEvents;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's JSX types live in this namespace.
  namespace JSX {
    interface IntrinsicElements {
      'fs-picker': FsPickerReactProps;
    }
  }
}
