import type { SignedIn, SourceApp } from './provider.ts';

/** The OAuth side of a provider's sign-in: what the popup's start and callback steps ask of it. */
export interface OAuthSignIn {
  /** OpenID Connect (an ID token, checked against a nonce) rather than plain OAuth 2.0, for this app. */
  isOidc(app: SourceApp): boolean;
  /** Where the popup goes to sign in, with state, PKCE (S256) and, for OpenID Connect, the nonce. */
  authorizationUrl(app: SourceApp, checks: { state: string; codeVerifier: string; nonce: string | undefined }): Promise<URL>;
  /**
   * Exchanges the code of a callback (its query string, as received). Throws openid-client's errors,
   * which `describeOAuthError` turns into what the popup says.
   */
  exchange(app: SourceApp, search: string, checks: { state: string; codeVerifier: string; nonce: string | undefined }): Promise<SignedIn>;
}
