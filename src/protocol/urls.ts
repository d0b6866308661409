import * as v from 'valibot';

/** Whether `value` is an absolute http: or https: URL: the only schemes fs-picker fetches, calls or stores from. */
export function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

/** An absolute http(s) URL (storeUrl, writeUrl, export's `url` source, the companion's configuration). */
export const HttpUrlSchema = v.pipe(v.string('must be a string'), v.check(isHttpUrl, 'must be an http(s) URL'));

/** A web origin (an app's allowed origins): scheme, host and port, nothing else. */
export const OriginSchema = v.pipe(
  v.string('must be a string'),
  v.check((value) => URL.canParse(value) && new URL(value).origin === value, 'must be an origin like https://app.example.com (scheme, host and port only)'),
);
