import { XMLParser } from 'fast-xml-parser';

/*
 * RFC 4918 multistatus answers (207) read into plain records. Element names are resolved to their
 * namespace URI, so `D:href` (Apache), `d:href` (Nextcloud, SabreDAV) and `href` under a default
 * `xmlns="DAV:"` (IIS, some Java servers) are the same element, and a `getetag` of another namespace is not.
 * Only what the provider asks for in its PROPFIND is read; a property answered with a status other
 * than 2xx (Apache's 404 for what it does not keep) counts as absent.
 */

export const DAV = 'DAV:';

/** One resource of a multistatus answer, its properties as the server gave them. */
export interface DavResource {
  /** As the server wrote it: percent-encoded, a path or a whole URL. */
  href: string;
  isCollection: boolean;
  displayName?: string;
  contentLength?: number;
  contentType?: string;
  /** RFC 1123 ("Mon, 07 Dec 2026 23:36:38 GMT"), as getlastmodified is defined. */
  lastModified?: string;
  etag?: string;
  /** The local names of the DAV: privileges of `current-user-privilege-set` (RFC 3744), when the server keeps ACLs. */
  privileges?: string[];
}

/** A multistatus answer that is not one (not XML, a DOCTYPE, no multistatus element). */
export class MultistatusError extends Error {
  override name = 'MultistatusError';
}

interface XmlElement {
  ns: string;
  name: string;
  children: XmlElement[];
  text: string;
}

/** fast-xml-parser's ordered output: `{ "D:href": [...children], ":@": { "@_xmlns:D": "DAV:" } }` or `{ "#text": "…" }`. */
type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  htmlEntities: false,
});

/** The resources of a multistatus body; throws {@link MultistatusError} when it is not one. */
export function parseMultistatus(xml: string): DavResource[] {
  // A multistatus needs no DTD; refusing one keeps entity expansion (and its bombs) out altogether.
  if (/<!DOCTYPE/i.test(xml)) throw new MultistatusError('the answer declares a DOCTYPE');
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(xml, true) as OrderedNode[];
  } catch (error) {
    throw new MultistatusError('the answer is not well-formed XML', { cause: error });
  }
  const root = elementsOf(nodes, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]))[0];
  if (!root || root.ns !== DAV || root.name !== 'multistatus') throw new MultistatusError('the answer is not a DAV: multistatus');
  return root.children.filter(isDav('response')).flatMap((response) => {
    const href = childOf(response, 'href')?.text;
    return href ? [resourceOf(href, response)] : [];
  });
}

function resourceOf(href: string, response: XmlElement): DavResource {
  const resource: DavResource = { href, isCollection: false };
  for (const propstat of response.children.filter(isDav('propstat'))) {
    if (!isSuccess(childOf(propstat, 'status')?.text)) continue;
    for (const prop of childOf(propstat, 'prop')?.children ?? []) {
      if (prop.ns !== DAV) continue;
      readProperty(resource, prop);
    }
  }
  return resource;
}

function readProperty(resource: DavResource, prop: XmlElement): void {
  switch (prop.name) {
    case 'resourcetype':
      resource.isCollection = prop.children.some(isDav('collection'));
      break;
    case 'displayname':
      if (prop.text) resource.displayName = prop.text;
      break;
    case 'getcontentlength': {
      const length = Number(prop.text);
      if (prop.text !== '' && Number.isSafeInteger(length) && length >= 0) resource.contentLength = length;
      break;
    }
    case 'getcontenttype':
      if (prop.text) resource.contentType = prop.text;
      break;
    case 'getlastmodified':
      if (prop.text) resource.lastModified = prop.text;
      break;
    case 'getetag':
      if (prop.text) resource.etag = prop.text;
      break;
    case 'current-user-privilege-set':
      resource.privileges = prop.children.filter(isDav('privilege')).flatMap((privilege) => privilege.children.filter((granted) => granted.ns === DAV).map((granted) => granted.name));
      break;
  }
}

/** A propstat without a status is taken as given; "HTTP/1.1 200 OK" and other 2xx are. */
function isSuccess(status: string | undefined): boolean {
  return status === undefined || /^HTTP\/\d(?:\.\d)?\s+2\d\d\b/.test(status);
}

const isDav = (name: string) => (element: XmlElement) => element.ns === DAV && element.name === name;
const childOf = (element: XmlElement, name: string) => element.children.find(isDav(name));

/** The ordered nodes as elements with resolved namespaces; `scope` maps prefixes ('' the default) to URIs. */
function elementsOf(nodes: OrderedNode[], scope: ReadonlyMap<string, string>): XmlElement[] {
  const elements: XmlElement[] = [];
  for (const node of nodes) {
    const tag = Object.keys(node).find((key) => key !== ':@' && key !== '#text');
    if (tag === undefined) continue;
    const inner = declarations(scope, node[':@'] as Record<string, string> | undefined);
    const colon = tag.indexOf(':');
    const [prefix, name] = colon < 0 ? ['', tag] : [tag.slice(0, colon), tag.slice(colon + 1)];
    const content = (node[tag] as OrderedNode[] | undefined) ?? [];
    const text = content.map((child) => (typeof child['#text'] === 'string' ? child['#text'] : '')).join('');
    elements.push({ ns: inner.get(prefix) ?? '', name, children: elementsOf(content, inner), text });
  }
  return elements;
}

/** The scope with an element's own xmlns declarations added. */
function declarations(scope: ReadonlyMap<string, string>, attributes: Record<string, string> | undefined): ReadonlyMap<string, string> {
  if (!attributes) return scope;
  let inner: Map<string, string> | undefined;
  for (const [key, value] of Object.entries(attributes)) {
    if (key !== '@_xmlns' && !key.startsWith('@_xmlns:')) continue;
    inner ??= new Map(scope);
    inner.set(key === '@_xmlns' ? '' : key.slice('@_xmlns:'.length), value);
  }
  return inner ?? scope;
}
