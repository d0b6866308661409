let loading: Promise<void> | undefined;

/** Loads and registers the views once; every picker on the page shares the one load. */
export function loadViews(): Promise<void> {
  loading ??= import('../../views.ts').then(() => undefined);
  return loading;
}
