/**
 * The companion's outbound HTTP (issue 18, "One way out"): everything that leaves the companion goes
 * through an {@link Outbound} instance, made by `buildApp` (or handed to it) and closed with it.
 * test/boundaries/outbound.test.ts keeps every other file off node:http, node:https, node:net,
 * node:tls and the global fetch.
 */
export { Outbound, type OutboundRequestInit, type UpstreamInit } from './outbound.ts';
export { DEFAULT_TIMEOUTS, type OutboundOptions, type OutboundTimeouts } from './settings.ts';
export { OutboundClosed, OutboundTimeout, upstreamError } from './errors.ts';
export { UpstreamBody, type UpstreamRequest, type UpstreamResponse } from './http1/upstream-stream.ts';
export { ProtocolError } from './http1/response-head.ts';
export { isMetadataHost, isNeverReachable, isPublicAddress } from './addresses.ts';
export type { SafeFetchOptions, SafeResponse } from './public-url.ts';
export type { AddressCheck, ResolvedAddress, Resolver, TargetOptions } from './targets.ts';
