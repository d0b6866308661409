/**
 * The identity service's HTML pages: sign-in, sign-out, signed-out and error. Self-contained (inline
 * styles, no fonts, scripts or images from elsewhere) so they work offline and under a strict CSP.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  main { width: min(22rem, calc(100vw - 2rem)); padding: 2rem; border: 1px solid GrayText; border-radius: 0.5rem; }
  .realm { margin: 0 0 0.25rem; font-size: 0.875rem; color: GrayText; text-transform: uppercase; letter-spacing: 0.05em; }
  h1 { margin: 0 0 1.5rem; font-size: 1.5rem; }
  label { display: block; margin: 1rem 0 0.25rem; font-weight: 600; }
  input { box-sizing: border-box; width: 100%; padding: 0.5rem; font: inherit; border: 1px solid GrayText; border-radius: 0.25rem; }
  input[aria-invalid="true"] { border-color: #c62828; }
  button { margin-top: 1.5rem; width: 100%; padding: 0.625rem; font: inherit; font-weight: 600; border: 0; border-radius: 0.25rem;
    background: #0b6bcb; color: #fff; cursor: pointer; }
  button.secondary { margin-top: 0.5rem; background: transparent; color: inherit; border: 1px solid GrayText; }
  button:focus-visible, input:focus-visible { outline: 3px solid #0b6bcb; outline-offset: 2px; }
  .error { margin: 0 0 1rem; padding: 0.75rem; border-radius: 0.25rem; background: #fdecea; color: #7f1d1d; }
  p { line-height: 1.5; }
`;

/** Security headers for every page: nothing loads from elsewhere, no framing (clickjacking). */
export function pageHeaders(scriptNonce?: string): Record<string, string> {
  const script = scriptNonce ? `'nonce-${scriptNonce}'` : "'none'";
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; script-src ${script}; base-uri 'none'; frame-ancestors 'none'`,
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  };
}

function layout(title: string, body: string, script = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="realm">Alfresco</p>
${body}
</main>
${script}
</body>
</html>`;
}

export interface SignInPage {
  action: string;
  csrf: string;
  clientId: string;
  username?: string;
  error?: string;
}

/** Keycloak's "Sign in to your account" form: username or e-mail, password, one button. */
export function signInPage({ action, csrf, clientId, username = '', error }: SignInPage): string {
  const invalid = error ? ' aria-invalid="true" aria-describedby="login-error"' : '';
  return layout(
    'Sign in to Alfresco',
    `<h1>Sign in to your account</h1>
${error ? `<p class="error" id="login-error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}" novalidate>
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<label for="username">Username or email</label>
<input id="username" name="username" type="text" value="${escapeHtml(username)}" autocomplete="username" autocapitalize="none" spellcheck="false" required${invalid}${username ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${username ? ' autofocus' : ''}>
<button type="submit">Sign in</button>
</form>
<p class="realm">Signing in to ${escapeHtml(clientId)}</p>`,
  );
}

/**
 * The RP-initiated logout confirmation. `form` is oidc-provider's form (carrying its xsrf token);
 * with a valid `id_token_hint` Keycloak signs out without asking, so `autoSubmit` submits it at once.
 */
export function signOutPage(form: string, autoSubmit: { nonce: string } | undefined): string {
  if (autoSubmit) {
    return layout(
      'Signing out',
      `<h1>Signing out…</h1>
${form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')}
<button type="submit" form="op.logoutForm">Sign out</button>`,
      `<script nonce="${autoSubmit.nonce}">document.getElementById('op.logoutForm').submit();</script>`,
    );
  }
  return layout(
    'Sign out',
    `<h1>Do you want to sign out?</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>`,
  );
}

export function signedOutPage(clientName?: string): string {
  return layout('Signed out', `<h1>You are signed out</h1><p>You have signed out${clientName ? ` of ${escapeHtml(clientName)}` : ''}.</p>`);
}

export function errorPage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(message)}</p>`);
}
