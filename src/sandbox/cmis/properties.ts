import { isFolder, type RepoNode } from '../repository/node.ts';
import type { Repository } from '../repository/repository.ts';
import { objectIdOf, PWC_LABEL, versionLabelOf } from './object-ids.ts';
import { checkedOutBy, isWorkingCopy, originalOf, workingCopyOf } from './working-copies.ts';

/**
 * The CMIS properties of a node (CMIS 1.1 §2.1.4.3 for every object, §2.1.9.3 folders, §2.1.10.3
 * documents), as Alfresco fills them, and their JSON in the browser binding (§5.2.5 properties, §5.2.6
 * succinct): datetimes are milliseconds since the epoch unless `dateTimeFormat=extended` asks for ISO 8601.
 */

export type PropertyType = 'id' | 'string' | 'boolean' | 'integer' | 'datetime';
export type PropertyValue = string | number | boolean | Date | string[] | null;
export type DateTimeFormat = 'simple' | 'extended';

interface Definition {
  type: PropertyType;
  multi?: boolean;
  displayName: string;
  /** Which base type has it. */
  of: 'cmis:document' | 'cmis:folder' | 'both';
  /** Whether children and queries may be ordered by it (Alfresco's orderable properties). */
  orderable?: boolean;
  /** Shown only when the node has a value (Alfresco's aspect properties). */
  optional?: boolean;
  value(node: RepoNode, repository: Repository): PropertyValue;
}

const text = (key: string) => (node: RepoNode) => {
  const value = node.properties[key];
  return typeof value === 'string' ? value : null;
};

const DEFINITIONS: Record<string, Definition> = {
  'cmis:objectId': { type: 'id', displayName: 'Object Id', of: 'both', value: (node) => objectIdOf(node) },
  'cmis:baseTypeId': { type: 'id', displayName: 'Base Type Id', of: 'both', orderable: true, value: (node) => baseTypeOf(node) },
  'cmis:objectTypeId': { type: 'id', displayName: 'Object Type Id', of: 'both', orderable: true, value: (node) => objectTypeOf(node) },
  'cmis:secondaryObjectTypeIds': { type: 'id', multi: true, displayName: 'Secondary Object Type Ids', of: 'both', value: (node) => node.aspectNames.map((aspect) => `P:${aspect}`) },
  'cmis:name': { type: 'string', displayName: 'Name', of: 'both', orderable: true, value: (node) => node.name },
  'cmis:description': { type: 'string', displayName: 'Description', of: 'both', value: text('cm:description') },
  'cmis:createdBy': { type: 'string', displayName: 'Created by', of: 'both', orderable: true, value: (node) => node.createdBy },
  'cmis:creationDate': { type: 'datetime', displayName: 'Creation Date', of: 'both', orderable: true, value: (node) => node.createdAt },
  'cmis:lastModifiedBy': { type: 'string', displayName: 'Last Modified By', of: 'both', orderable: true, value: (node) => node.modifiedBy },
  'cmis:lastModificationDate': { type: 'datetime', displayName: 'Last Modified Date', of: 'both', orderable: true, value: (node) => node.modifiedAt },
  'cmis:changeToken': { type: 'string', displayName: 'Change token', of: 'both', value: () => null },
  'cmis:parentId': { type: 'id', displayName: 'Parent Id', of: 'cmis:folder', value: (node) => node.parentId ?? null },
  'cmis:path': { type: 'string', displayName: 'Path', of: 'cmis:folder', value: (node, repository) => folderPath(repository, node) },
  'cmis:allowedChildObjectTypeIds': { type: 'id', multi: true, displayName: 'Allowed Child Object Types Ids', of: 'cmis:folder', value: () => null },
  'cmis:isImmutable': { type: 'boolean', displayName: 'Is Immutable', of: 'cmis:document', value: () => false },
  'cmis:isLatestVersion': { type: 'boolean', displayName: 'Is Latest Version', of: 'cmis:document', value: (node) => !isWorkingCopy(node) },
  'cmis:isMajorVersion': { type: 'boolean', displayName: 'Is Major Version', of: 'cmis:document', value: (node) => !isWorkingCopy(node) && versionLabelOf(node).endsWith('.0') },
  'cmis:isLatestMajorVersion': { type: 'boolean', displayName: 'Is Latest Major Version', of: 'cmis:document', value: (node) => !isWorkingCopy(node) && versionLabelOf(node).endsWith('.0') },
  'cmis:isPrivateWorkingCopy': { type: 'boolean', displayName: 'Is private working copy', of: 'cmis:document', value: (node) => isWorkingCopy(node) },
  'cmis:versionLabel': { type: 'string', displayName: 'Version Label', of: 'cmis:document', value: (node) => versionLabelOf(node) },
  'cmis:versionSeriesId': { type: 'id', displayName: 'Version series id', of: 'cmis:document', value: (node, repository) => seriesOf(repository, node).id },
  'cmis:isVersionSeriesCheckedOut': { type: 'boolean', displayName: 'Is Version Series Checked Out', of: 'cmis:document', value: (node, repository) => workingCopyOfSeries(repository, node) !== undefined },
  'cmis:versionSeriesCheckedOutBy': { type: 'string', displayName: 'Version Series Checked Out By', of: 'cmis:document', value: (node, repository) => checkedOutByOfSeries(repository, node) },
  'cmis:versionSeriesCheckedOutId': {
    type: 'id',
    displayName: 'Version Series Checked Out Id',
    of: 'cmis:document',
    value: (node, repository) => {
      const workingCopy = workingCopyOfSeries(repository, node);
      return workingCopy ? `${workingCopy.id};${PWC_LABEL}` : null;
    },
  },
  'cmis:checkinComment': { type: 'string', displayName: 'Checkin Comment', of: 'cmis:document', value: () => null },
  'cmis:contentStreamLength': { type: 'integer', displayName: 'Content Stream Length', of: 'cmis:document', orderable: true, value: (node) => node.content?.sizeInBytes ?? null },
  'cmis:contentStreamMimeType': { type: 'string', displayName: 'Content Stream MIME Type', of: 'cmis:document', orderable: true, value: (node) => node.content?.mimeType ?? null },
  'cmis:contentStreamFileName': { type: 'string', displayName: 'Content Stream Filename', of: 'cmis:document', value: (node) => (node.content ? node.name : null) },
  'cmis:contentStreamId': { type: 'id', displayName: 'Content Stream Id', of: 'cmis:document', value: (node) => (node.content ? `store://${node.content.contentId}` : null) },
  'alfcmis:nodeRef': { type: 'id', displayName: 'Alfresco Node Ref', of: 'both', value: (node) => `workspace://SpacesStore/${node.id}` },
  'cm:title': { type: 'string', displayName: 'Title', of: 'both', optional: true, value: text('cm:title') },
  'cm:description': { type: 'string', displayName: 'Description', of: 'both', optional: true, value: text('cm:description') },
};

export function baseTypeOf(node: RepoNode): 'cmis:document' | 'cmis:folder' {
  return isFolder(node) ? 'cmis:folder' : 'cmis:document';
}

/** Alfresco's type ids: the CMIS base types for cm:folder and cm:content, `F:`/`D:` and the QName otherwise. */
export function objectTypeOf(node: RepoNode): string {
  if (node.nodeType === 'cm:folder') return 'cmis:folder';
  if (node.nodeType === 'cm:content') return 'cmis:document';
  return `${isFolder(node) ? 'F' : 'D'}:${node.nodeType}`;
}

/** Whether objects of `baseType` have the property (for queries, which refuse others). */
export function hasProperty(baseType: 'cmis:document' | 'cmis:folder', queryName: string): boolean {
  const definition = DEFINITIONS[queryName];
  return definition !== undefined && (definition.of === 'both' || definition.of === baseType);
}

/** A property's type and whether it holds several values; undefined for a property CMIS does not know here. */
export function typeOfProperty(queryName: string): { type: PropertyType; multi: boolean } | undefined {
  const definition = DEFINITIONS[queryName];
  return definition && { type: definition.type, multi: definition.multi === true };
}

export function isOrderable(queryName: string): boolean {
  return DEFINITIONS[queryName]?.orderable === true;
}

/** One property's value; undefined when the node's type has no such property. */
export function propertyValue(repository: Repository, node: RepoNode, queryName: string): PropertyValue | undefined {
  const definition = DEFINITIONS[queryName];
  if (!definition || !hasProperty(baseTypeOf(node), queryName)) return undefined;
  return definition.value(node, repository);
}

export interface PropertiesOptions {
  succinct: boolean;
  dateTimeFormat: DateTimeFormat;
  /** Only these properties (plus the ids every object needs), when a `filter` was given. */
  filter?: ReadonlySet<string> | undefined;
  /** Only these (query results: the SELECT list), keyed by their alias. */
  select?: ReadonlyArray<{ queryName: string; alias: string }> | undefined;
}

const ALWAYS = new Set(['cmis:objectId', 'cmis:baseTypeId', 'cmis:objectTypeId']);

/** `properties` (each with its definition's id, names, type and cardinality) or `succinctProperties` (values only). */
export function propertiesJson(repository: Repository, node: RepoNode, { succinct, dateTimeFormat, filter, select }: PropertiesOptions): Record<string, unknown> {
  const base = baseTypeOf(node);
  const wanted =
    select ??
    Object.keys(DEFINITIONS)
      .filter((queryName) => hasProperty(base, queryName) && (!filter || filter.has(queryName) || ALWAYS.has(queryName)))
      .map((queryName) => ({ queryName, alias: queryName }));
  const properties: Record<string, unknown> = {};
  for (const { queryName, alias } of wanted) {
    const definition = DEFINITIONS[queryName]!;
    const raw = definition.value(node, repository);
    if (definition.optional && raw === null) continue;
    const value = jsonValue(raw, dateTimeFormat);
    properties[alias] = succinct
      ? value
      : { id: queryName, localName: queryName.slice(queryName.indexOf(':') + 1), displayName: definition.displayName, queryName: alias, type: definition.type, cardinality: definition.multi ? 'multi' : 'single', value };
  }
  return properties;
}

function jsonValue(value: PropertyValue, format: DateTimeFormat): unknown {
  if (value instanceof Date) return format === 'extended' ? value.toISOString() : value.getTime();
  return value;
}

/** The folder's path from the root folder ("/"), by names. */
export function folderPath(repository: Repository, node: RepoNode): string {
  const names = [...repository.ancestors(node), node].slice(1).map((folder) => folder.name);
  return `/${names.join('/')}`;
}

/** The document a version series is named after: the original for a working copy. */
function seriesOf(repository: Repository, node: RepoNode): RepoNode {
  return (isWorkingCopy(node) && originalOf(repository, node)) || node;
}

function workingCopyOfSeries(repository: Repository, node: RepoNode): RepoNode | undefined {
  return isWorkingCopy(node) ? node : workingCopyOf(repository, node);
}

function checkedOutByOfSeries(repository: Repository, node: RepoNode): string | null {
  const workingCopy = workingCopyOfSeries(repository, node);
  return workingCopy ? (checkedOutBy(workingCopy) ?? null) : null;
}
