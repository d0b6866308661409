import { randomBytes } from 'node:crypto';
import type { ConnectedMessage, PopupMessage, ErrorCode } from 'fs-picker/protocol';
export type { ConnectedMessage, ConnectFailedMessage, PopupMessage } from 'fs-picker/protocol';

/**
 * The pages of the sign-in popup: the result page that hands the outcome to the opener by postMessage,
 * error pages, and the ticket sign-in form. No inline event handlers and no external resources: one
 * script and one style block, both allowed by a per-page CSP nonce. Everything interpolated is escaped.
 */


export interface Page {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** JSON that cannot end a `<script>` element or an HTML comment, whatever the strings hold. */
function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const STYLE = `
  :root { color-scheme: light dark; font: 16px/1.5 system-ui, sans-serif; }
  body { margin: 0; display: grid; place-items: center; min-height: 100vh; }
  main { max-width: 26rem; padding: 1.5rem; }
  h1 { font-size: 1.25rem; margin: 0 0 .75rem; }
  label { display: block; margin-top: .75rem; font-weight: 600; }
  input { display: block; box-sizing: border-box; width: 100%; padding: .5rem; font: inherit; margin-top: .25rem; }
  button { margin-top: 1rem; padding: .5rem 1rem; font: inherit; }
  .error { color: #b00020; }
  @media (prefers-color-scheme: dark) { .error { color: #ff8a80; } }
`;

// Reads the message from the JSON block, posts it to the opener's exact origin, and closes the popup
// (on success) or leaves it open with the explanation (on failure). Without an opener there is no one to tell.
const SCRIPT = `
(() => {
  const data = JSON.parse(document.getElementById('fs-popup-data').textContent);
  const note = document.getElementById('fs-no-opener');
  if (data.message) {
    if (window.opener && !window.opener.closed) {
      window.opener.postMessage(data.message, data.origin);
      if (data.close) window.close();
    } else if (note) {
      note.hidden = false;
    }
  }
  const close = document.getElementById('fs-close');
  if (close) close.addEventListener('click', () => window.close());
})();
`;

function headers(nonce: string): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  };
}

function page(status: number, title: string, content: string, data?: { message: PopupMessage; origin: string; close: boolean }): Page {
  const nonce = randomBytes(16).toString('base64');
  const script = data
    ? `<script type="application/json" id="fs-popup-data">${jsonForHtml(data)}</script>\n<script nonce="${nonce}">${SCRIPT}</script>`
    : `<script type="application/json" id="fs-popup-data">{}</script>\n<script nonce="${nonce}">${SCRIPT}</script>`;
  const body = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
${content}
</main>
${script}
</body>
</html>
`;
  return { status, headers: headers(nonce), body };
}

/** The popup's last page after a successful sign-in: posts the session to the opener and closes. */
export function connectedPage(sourceName: string, origin: string, message: ConnectedMessage): Page {
  return page(
    200,
    `Connected to ${sourceName}`,
    `<h1>Connected to ${escapeHtml(sourceName)}</h1>
<p role="status">Signed in as ${escapeHtml(message.user.name)}. This window closes by itself.</p>
<p id="fs-no-opener" hidden>The page that opened this window is gone; go back to it and connect again.</p>
<button type="button" id="fs-close">Close this window</button>`,
    { message, origin, close: true },
  );
}

/**
 * A failure explained to the person in the popup; and, when the attempt (so the opener's origin and
 * nonce) is known, to the opener too. Unknown attempts tell no one else: there is no trusted origin.
 */
export function failurePage(status: number, title: string, text: string, opener?: { origin: string; nonce: string; code: ErrorCode }): Page {
  const data = opener ? { message: { type: 'fs-picker:connect-failed' as const, nonce: opener.nonce, code: opener.code, message: text }, origin: opener.origin, close: false } : undefined;
  return page(
    status,
    title,
    `<h1>${escapeHtml(title)}</h1>
<p role="alert">${escapeHtml(text)}</p>
<button type="button" id="fs-close">Close this window</button>`,
    data,
  );
}

export interface PasswordForm {
  /** The source the password is for, e.g. "Alfresco". */
  sourceName: string;
  /** Where the form posts (absolute, on the companion). */
  action: string;
  csrf: string;
  username?: string;
  error?: string;
  /** 200, or 429 while wrong passwords are being refused. */
  status?: number;
  /** The source keeps the password as its grant (see Provider's SignIn): the page says so. */
  keepsPassword?: boolean;
}

/** The companion's own sign-in form, for sources signed in to with a password (no identity service). */
export function passwordFormPage({ sourceName, action, csrf, username = '', error, status = 200, keepsPassword = false }: PasswordForm): Page {
  const invalid = error ? ' aria-invalid="true" aria-describedby="fs-error"' : '';
  const name = escapeHtml(sourceName);
  return page(
    status,
    `Sign in to ${sourceName}`,
    `<h1>Sign in to ${name}</h1>
${error ? `<p id="fs-error" class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<label for="fs-username">User name</label>
<input id="fs-username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(username)}"${invalid}${username ? '' : ' autofocus'}>
<label for="fs-password">Password</label>
<input id="fs-password" name="password" type="password" autocomplete="current-password" required${invalid}${username ? ' autofocus' : ''}>
<button type="submit">Sign in</button>
</form>
<p>${
      keepsPassword
        ? `Your password goes to ${name} only. ${name} gives no sign-in token, so the companion keeps your password, encrypted, to reach ${name} for you until you sign out; the site you came from never sees it.`
        : `Your password goes to ${name} only; it is not kept.`
    }</p>`,
  );
}
