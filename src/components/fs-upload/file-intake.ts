import type { ReactiveControllerHost } from 'lit';

/** What the intake asks of its host. */
export interface FileIntakeOptions {
  /** Files came in (chosen, dropped or pasted): the host checks and uploads them. */
  add(files: Iterable<File>): void;
  /** The hidden file input that the file button opens. */
  input(): HTMLInputElement | null | undefined;
}

/**
 * How files come in: the file button and its hidden input, dragging over and dropping on the drop
 * zone, and pasting. The handlers are stable functions, bound once, for the template's listeners.
 */
export class FileIntake {
  #over = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: FileIntakeOptions,
  ) {}

  /** Files are being dragged over the drop zone. */
  get over(): boolean {
    return this.#over;
  }

  /** The file button: opens the browser's file dialog. */
  readonly choose = (): void => {
    this.options.input()?.click();
  };

  readonly chosen = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    // Cleared so that choosing the same file again is a change too.
    input.value = '';
    this.options.add(files);
  };

  readonly dragOver = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.#setOver(true);
  };

  readonly dragLeave = (event: DragEvent): void => {
    const zone = event.currentTarget as HTMLElement;
    if (event.relatedTarget instanceof Node && zone.contains(event.relatedTarget)) return;
    this.#setOver(false);
  };

  readonly drop = (event: DragEvent): void => {
    event.preventDefault();
    this.#setOver(false);
    this.options.add(event.dataTransfer?.files ?? []);
  };

  readonly paste = (event: ClipboardEvent): void => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    this.options.add(files);
  };

  #setOver(over: boolean): void {
    if (over === this.#over) return;
    this.#over = over;
    this.host.requestUpdate();
  }
}
