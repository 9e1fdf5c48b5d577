/**
 * Retrieving by an unpackaged manifest: the named components as a metadata-format zip (under
 * `unpackaged/` unless singlePackage), with fileProperties and a message for each component the
 * org does not have. Apex comes from the ApexClass / ApexTrigger records, objects from what was
 * deployed or else from the schema, everything else from the files as they were deployed.
 */
import JSZip from 'jszip';
import type { ObjectDef, OrgState } from '../state/types.js';
import { findApexRecord, listApexRecords } from '../tooling/apexRecords.js';
import { fieldToMetadataXml, objectHeaderXml } from './customObjects.js';
import { renderParentDocument } from './deploy.js';
import { childType, mainFilePath, metadataType, type ChildType, type MetadataType } from './metadataTypes.js';
import { caseSafeSuffix } from '../state/ids.js';
import {
  componentsOfType,
  getComponent,
  metadataStore,
  type StoredComponent,
  type StoredParentDocument,
} from './store.js';
import { METADATA_NAMESPACE, renderPackageXml, type PackageManifest } from './xml.js';

export interface FileProperties {
  createdById: string;
  createdByName: string;
  createdDate: string;
  fileName: string;
  fullName: string;
  id: string;
  lastModifiedById: string;
  lastModifiedByName: string;
  lastModifiedDate: string;
  manageableState?: string;
  type: string;
}

export interface RetrievedComponent {
  files: Map<string, Buffer>;
  properties: FileProperties;
}

function userName(org: OrgState, id: string): string {
  return String(org.records.get(id)?.Name ?? org.username);
}

function properties(
  org: OrgState,
  type: string,
  fullName: string,
  fileName: string,
  source: Partial<StoredComponent> & { id: string },
): FileProperties {
  const createdById = source.createdById ?? org.userId;
  const lastModifiedById = source.lastModifiedById ?? createdById;
  const created = source.createdDate ?? org.now().toISOString();
  return {
    createdById,
    createdByName: userName(org, createdById),
    createdDate: created,
    fileName,
    fullName,
    id: source.id,
    lastModifiedById,
    lastModifiedByName: userName(org, lastModifiedById),
    lastModifiedDate: source.lastModifiedDate ?? created,
    manageableState: 'unmanaged',
    type,
  };
}

function isoDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value.replace(/\+0000$/, 'Z'));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function apexComponent(org: OrgState, type: MetadataType, fullName: string): RetrievedComponent | undefined {
  const kind = type.xmlName as 'ApexClass' | 'ApexTrigger';
  const record = findApexRecord(org, kind, fullName);
  if (!record) return undefined;
  const name = String(record.Name);
  const bodyPath = mainFilePath(type, name);
  const stored = getComponent(metadataStore(org), kind, name);
  const storedMeta = stored?.files[`${bodyPath}-meta.xml`];
  const apiVersion = Number(record.ApiVersion ?? 62).toFixed(1);
  const meta = storedMeta
    ? Buffer.from(storedMeta, 'base64')
    : Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?>\n<${kind} xmlns="${METADATA_NAMESPACE}">\n    <apiVersion>${apiVersion}</apiVersion>\n    <status>${String(record.Status ?? 'Active')}</status>\n</${kind}>\n`,
      );
  const files = new Map<string, Buffer>([
    [bodyPath, Buffer.from(String(record.Body ?? ''), 'utf8')],
    [`${bodyPath}-meta.xml`, meta],
  ]);
  const createdDate = isoDate(record.CreatedDate);
  const lastModifiedDate = isoDate(record.LastModifiedDate);
  return {
    files,
    properties: properties(org, kind, name, bodyPath, {
      id: record.Id,
      createdById: String(record.CreatedById ?? org.userId),
      lastModifiedById: String(record.LastModifiedById ?? org.userId),
      ...(createdDate ? { createdDate } : {}),
      ...(lastModifiedDate ? { lastModifiedDate } : {}),
    }),
  };
}

/** A seeded custom object as metadata (label, name field, custom fields). */
function documentFromSchema(def: ObjectDef): StoredParentDocument {
  const fields: Record<string, string> = {};
  for (const field of def.fields) {
    const xml = fieldToMetadataXml(field);
    if (xml) fields[field.name] = xml;
  }
  return { rootName: 'CustomObject', header: def.custom ? objectHeaderXml(def) : [], children: { fields } };
}

function parentDocument(
  org: OrgState,
  type: MetadataType,
  fullName: string,
): { document: StoredParentDocument; source: StoredComponent | undefined; name: string } | undefined {
  const stored = getComponent(metadataStore(org), type.xmlName, fullName);
  if (stored?.parent) return { document: stored.parent, source: stored, name: stored.fullName };
  if (type.xmlName === 'CustomObject') {
    const def = org.schema.getObject(fullName);
    // A standard object comes back with its custom fields only; the org keeps no other settings for it.
    if (def && (def.api === 'data' || def.api === 'both')) {
      return { document: documentFromSchema(def), source: undefined, name: def.name };
    }
  }
  return undefined;
}

function parentComponent(
  org: OrgState,
  type: MetadataType,
  fullName: string,
  only?: (element: string, name: string) => boolean,
): RetrievedComponent | undefined {
  const found = parentDocument(org, type, fullName);
  if (!found) return undefined;
  const path = mainFilePath(type, found.name);
  const files = new Map([[path, Buffer.from(renderParentDocument(found.document, only), 'utf8')]]);
  const id = found.source?.id ?? objectMetadataId(org.schema.getObject(found.name)?.keyPrefix);
  return {
    files,
    properties: properties(org, type.xmlName, found.name, path, { ...(found.source ?? {}), id }),
  };
}

/** A stable CustomObject metadata id (`01I...`) for an object that was seeded rather than deployed. */
function objectMetadataId(keyPrefix: string | undefined): string {
  if (!keyPrefix) return '';
  const id15 = `01IMd0${keyPrefix.padStart(9, '0')}`;
  return id15 + caseSafeSuffix(id15);
}

function storedComponent(
  org: OrgState,
  type: MetadataType,
  fullName: string,
): RetrievedComponent | undefined {
  const stored = getComponent(metadataStore(org), type.xmlName, fullName);
  if (!stored) return undefined;
  const files = new Map(
    Object.entries(stored.files).map(([path, content]) => [path, Buffer.from(content, 'base64')] as const),
  );
  const paths = [...files.keys()];
  const fileName =
    type.layout === 'bundle'
      ? `${type.directoryName}/${stored.fullName}`
      : (paths.find((path) => !path.endsWith('-meta.xml')) ?? paths[0] ?? '');
  return { files, properties: properties(org, type.xmlName, stored.fullName, fileName, stored) };
}

export function retrieveComponent(
  org: OrgState,
  type: MetadataType,
  fullName: string,
): RetrievedComponent | undefined {
  if (type.xmlName === 'ApexClass' || type.xmlName === 'ApexTrigger')
    return apexComponent(org, type, fullName);
  if (type.layout === 'parent')
    return parentComponent(org, type, fullName) ?? storedComponent(org, type, fullName);
  return storedComponent(org, type, fullName);
}

/** Every full name of a type the org has (`*`). */
export function allFullNames(org: OrgState, type: MetadataType): string[] {
  if (type.xmlName === 'ApexClass' || type.xmlName === 'ApexTrigger') {
    return listApexRecords(org, type.xmlName).map((record) => String(record.Name));
  }
  const names = new Map(
    componentsOfType(metadataStore(org), type.xmlName).map((component) => [
      component.fullName.toLowerCase(),
      component.fullName,
    ]),
  );
  if (type.xmlName === 'CustomObject') {
    for (const def of org.schema.listObjects('data'))
      if (def.custom) names.set(def.name.toLowerCase(), def.name);
  }
  return [...names.values()].sort((a, b) => a.localeCompare(b));
}

function childMembers(
  org: OrgState,
  child: ChildType,
  member: string,
): Array<{ parent: string; child: string }> {
  const parents = allFullNames(org, child.parent);
  const result: Array<{ parent: string; child: string }> = [];
  for (const parent of parents) {
    const document = parentDocument(org, child.parent, parent)?.document;
    for (const name of Object.keys(document?.children[child.element] ?? {})) {
      const memberName = child.ignoreParentName ? name : `${parent}.${name}`;
      if (member === '*' || memberName.toLowerCase() === member.toLowerCase())
        result.push({ parent, child: name });
    }
  }
  return result;
}

/** FileProperties of every child of a child type (`CustomField`: `Invoice__c.Amount__c`, ...). */
export function listChildren(org: OrgState, child: ChildType): FileProperties[] {
  return childMembers(org, child, '*').map((entry) => {
    const parent = getComponent(metadataStore(org), child.parent.xmlName, entry.parent);
    return properties(
      org,
      child.xmlName,
      child.ignoreParentName ? entry.child : `${entry.parent}.${entry.child}`,
      mainFilePath(child.parent, entry.parent),
      {
        ...(parent ?? {}),
        id: '',
      },
    );
  });
}

export interface RetrieveOutcome {
  zip: Buffer;
  fileProperties: FileProperties[];
  messages: Array<{ fileName: string; problem: string }>;
}

export async function runRetrieve(
  org: OrgState,
  manifest: PackageManifest,
  singlePackage: boolean,
): Promise<RetrieveOutcome> {
  const prefix = singlePackage ? '' : 'unpackaged/';
  const zip = new JSZip();
  const fileProperties: FileProperties[] = [];
  const messages: Array<{ fileName: string; problem: string }> = [];
  const whole = new Set<string>();
  const notFound = (typeName: string, member: string) =>
    messages.push({
      fileName: `${prefix}package.xml`,
      problem: `Entity of type '${typeName}' named '${member}' cannot be found`,
    });
  const add = (component: RetrievedComponent) => {
    for (const [path, content] of component.files) zip.file(`${prefix}${path}`, content);
    fileProperties.push({ ...component.properties, fileName: `${prefix}${component.properties.fileName}` });
  };
  for (const [typeName, members] of manifest.types) {
    const type = metadataType(typeName);
    if (!type) continue;
    const names = members.includes('*')
      ? [...new Set([...allFullNames(org, type), ...members.filter((member) => member !== '*')])]
      : members;
    for (const name of names) {
      const component = retrieveComponent(org, type, name);
      if (!component) {
        if (!members.includes('*') || name !== '*') notFound(typeName, name);
        continue;
      }
      whole.add(`${type.xmlName}#${component.properties.fullName.toLowerCase()}`);
      add(component);
    }
  }
  for (const [typeName, members] of manifest.types) {
    const child = childType(typeName);
    if (!child || metadataType(typeName)) continue;
    const wanted = new Map<string, Set<string>>();
    for (const member of members) {
      const found = childMembers(org, child, member);
      if (found.length === 0 && member !== '*') notFound(typeName, member);
      for (const entry of found) {
        const names = wanted.get(entry.parent) ?? new Set<string>();
        names.add(entry.child);
        wanted.set(entry.parent, names);
        fileProperties.push({
          ...properties(
            org,
            child.xmlName,
            child.ignoreParentName ? entry.child : `${entry.parent}.${entry.child}`,
            `${prefix}${mainFilePath(child.parent, entry.parent)}`,
            { id: '' },
          ),
        });
      }
    }
    for (const [parent, names] of wanted) {
      if (whole.has(`${child.parent.xmlName}#${parent.toLowerCase()}`)) continue;
      const component = parentComponent(
        org,
        child.parent,
        parent,
        (element, name) => element === child.element && names.has(name),
      );
      if (!component) continue;
      const path = `${prefix}${mainFilePath(child.parent, parent)}`;
      const existing = zip.file(path);
      if (existing) {
        // Several child types of one parent: merge the partial documents.
        const previous = await existing.async('string');
        const addition = [...component.files.values()][0]?.toString('utf8') ?? '';
        const inner = (text: string) =>
          text.replace(/^[\s\S]*?<[A-Za-z]+ xmlns="[^"]*">\n?/, '').replace(/<\/[A-Za-z]+>\s*$/, '');
        zip.file(path, previous.replace(/<\/([A-Za-z]+)>\s*$/, `${inner(addition)}</$1>\n`));
      } else {
        for (const [filePath, content] of component.files) zip.file(`${prefix}${filePath}`, content);
      }
    }
  }
  const packageXml = renderPackageXml(manifest);
  zip.file(`${prefix}package.xml`, packageXml);
  fileProperties.push({
    ...properties(org, 'Package', `${prefix}package.xml`, `${prefix}package.xml`, { id: '' }),
  });
  const content = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  return { zip: content, fileProperties, messages };
}
