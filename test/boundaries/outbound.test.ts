/**
 * One way out (issue 18): nothing in the companion leaves it but through companion/src/outbound/. No
 * other file imports node:http, node:https, node:net, node:tls (types aside: a route may name a
 * ServerResponse; and node:net's address helpers, which parse addresses and open nothing) or calls the
 * global fetch. The AWS SDK in storage/s3.ts is its own client and not
 * seen here.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const OUTBOUND = 'companion/src/outbound/';
const NETWORK = new Set(['http', 'https', 'net', 'tls', 'http2', 'dgram'].flatMap((name) => [name, `node:${name}`]).concat('undici'));
/** What node:net offers that only reads addresses (a client's, a configured proxy list): no socket. */
const ADDRESS_HELPERS = new Set(['isIP', 'isIPv4', 'isIPv6', 'BlockList', 'SocketAddress']);

/** What in `source` would leave the process by itself: value imports of a network module, and calls of the global fetch. */
function waysOut(file: string, source: string): string[] {
  const found: string[] = [];
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const where = (node: ts.Node) => `${file}:${sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && NETWORK.has(node.moduleSpecifier.text)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const isNet = /(^|:)net$/.test(node.moduleSpecifier.text);
      const harmless = (element: ts.ImportSpecifier) => element.isTypeOnly || (isNet && ADDRESS_HELPERS.has((element.propertyName ?? element.name).text));
      const opensNothing = clause !== undefined && (clause.isTypeOnly || (!clause.name && named !== undefined && ts.isNamedImports(named) && named.elements.every(harmless)));
      if (!opensNothing) found.push(`${where(node)} imports ${node.moduleSpecifier.text}`);
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isGlobalFetch = (ts.isIdentifier(callee) && callee.text === 'fetch') || (ts.isPropertyAccessExpression(callee) && callee.name.text === 'fetch' && ts.isIdentifier(callee.expression) && callee.expression.text === 'globalThis');
      if (isGlobalFetch) found.push(`${where(node)} calls the global fetch`);
      const [first] = node.arguments;
      if (callee.kind === ts.SyntaxKind.ImportKeyword && first && ts.isStringLiteral(first) && NETWORK.has(first.text)) found.push(`${where(node)} imports ${first.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function companionSources(): Array<{ file: string; source: string }> {
  const root = path.join(projectRoot, 'companion/src');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((rel) => /\.(?:ts|mts|js|mjs)$/.test(rel))
    .map((rel) => ({ file: `companion/src/${rel.split(path.sep).join('/')}`, source: readFileSync(path.join(root, rel), 'utf8') }));
}

test('every call leaves the companion through companion/src/outbound/', () => {
  const files = companionSources();
  assert.ok(files.some(({ file }) => file === `${OUTBOUND}outbound.ts`), 'the scan did not see the outbound module');
  const leaks = files.filter(({ file }) => !file.startsWith(OUTBOUND)).flatMap(({ file, source }) => waysOut(file, source));
  assert.deepEqual(leaks, []);
});

test('the check sees value imports, dynamic imports and fetch calls, and lets types, address helpers and methods named fetch be', () => {
  const source = [
    "import type { ServerResponse } from 'node:http';",
    "import { type AddressInfo } from 'node:net';",
    "import https from 'node:https';",
    "import { connect, type TLSSocket } from 'tls';",
    'await fetch(url);',
    'await globalThis.fetch(url);',
    'await outbound.fetch(url);',
    "const http = await import('node:http');",
    "import { BlockList, isIP } from 'node:net';",
    "import { isIP, connect } from 'node:net';",
  ].join('\n');
  assert.deepEqual(waysOut('x.ts', source), ['x.ts:3 imports node:https', 'x.ts:4 imports tls', 'x.ts:5 calls the global fetch', 'x.ts:6 calls the global fetch', 'x.ts:8 imports node:http', 'x.ts:10 imports node:net']);
});
