import { HANDLE_TOKEN_HEADER, type HandleTokens } from '../../protocol/handle-token.ts';
import type { CompanionClient } from './client.ts';

/*
 * The handle tokens this page was given (src/protocol/handle-token.ts): the proof that lets it write or
 * remove the handles it made (store, then remove; pick, then write) without signing in again. Kept per
 * page in memory only, by companion and handle, never in a Blob, a link or storage: a Blob is shared, a
 * token is not. Every client of this page (the element's, createClient's, the v2 global's) shares them.
 */
const tokens = new Map<string, string>();

const keyOf = (client: CompanionClient, handle: string) => `${client.server}\n${client.apiKey}\n${handle}`;

/** Keeps the tokens of an answer that made handles. */
export function rememberHandleTokens(client: CompanionClient, handleTokens: HandleTokens | undefined): void {
  for (const [handle, token] of Object.entries(handleTokens ?? {})) tokens.set(keyOf(client, handle), token);
}

/** The header that proves this page made `handle`, when it did. */
export function handleTokenHeaders(client: CompanionClient, handle: string): Record<string, string> {
  const token = tokens.get(keyOf(client, handle));
  return token === undefined ? {} : { [HANDLE_TOKEN_HEADER]: token };
}

/** Drops a removed handle's token. */
export function forgetHandleToken(client: CompanionClient, handle: string): void {
  tokens.delete(keyOf(client, handle));
}
