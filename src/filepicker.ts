/**
 * The filepicker v2 compatible global, for pages that load fs-picker with a `<script>` tag:
 *
 *   <script src="https://files.example.com/filepicker.js" data-server="https://files.example.com"></script>
 *   <script>filepicker.setKey('APP_KEY')</script>
 *
 * The companion URL comes from `filepicker.setServer(url)`, else the script tag's `data-server`, else the
 * origin the script was loaded from. Loading the script twice keeps the first global.
 */
import { SERVICE_IDS, type ServiceId } from './protocol/services.ts';

export interface FilepickerGlobal {
  /** v2's service names, usable in the `services` option: `filepicker.SERVICES.ALFRESCO`. */
  readonly SERVICES: Readonly<Record<ServiceId, ServiceId>>;
  setKey(apiKey: string): void;
  setServer(url: string): void;
  /** The API key and companion URL that calls will use. */
  readonly config: Readonly<{ apiKey: string | undefined; server: string }>;
}

declare global {
  interface Window {
    filepicker?: FilepickerGlobal;
  }
}

function defaultServer(): string {
  const script = document.currentScript as HTMLScriptElement | null;
  if (script?.dataset.server) return script.dataset.server;
  return new URL(script?.src || import.meta.url, location.href).origin;
}

function createFilepicker(): FilepickerGlobal {
  const config = { apiKey: undefined as string | undefined, server: defaultServer() };
  return {
    SERVICES: Object.freeze(Object.fromEntries(SERVICE_IDS.map((id) => [id, id])) as Record<ServiceId, ServiceId>),
    setKey(apiKey) {
      if (typeof apiKey !== 'string' || apiKey.trim() === '') throw new TypeError('filepicker.setKey: the API key must be a non-empty string.');
      config.apiKey = apiKey.trim();
    },
    setServer(url) {
      if (!URL.canParse(url)) throw new TypeError(`filepicker.setServer: "${url}" is not a URL.`);
      config.server = new URL(url).href.replace(/\/+$/, '');
    },
    get config() {
      return { ...config };
    },
  };
}

window.filepicker ??= createFilepicker();

export const filepicker: FilepickerGlobal = window.filepicker;
