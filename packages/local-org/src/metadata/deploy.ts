/**
 * Deploying a metadata-format zip: every component is checked first (Apex must parse, objects
 * and fields must make sense), then applied in one transaction with the Apex tests the options
 * ask for. A failure with rollbackOnError (the default), a failing test or checkOnly leaves the
 * org as it was. Components the org has no behaviour for are kept as their files.
 */
import JSZip from 'jszip';
import { checkApexSyntax } from '../apex/index.js';
import type { ObjectDef, OrgState } from '../state/types.js';
import { deleteApexSource, findApexRecord, saveApexSource } from '../tooling/apexRecords.js';
import {
  codeCoverageResults,
  executeTestPlan,
  isFailure,
  notRunWarnings,
  planTestRun,
  type TestRunOutcome,
} from '../tooling/testRuns.js';
import {
  customMetadataObject,
  deleteCustomMetadataRecord,
  planCustomMetadataRecord,
  saveCustomMetadataRecord,
} from './customMetadata.js';
import { applyObjectPlan, planObject, type ObjectPlan } from './customObjects.js';
import type { DeployJob, DeployOptionsInput } from './jobs.js';
import {
  childType,
  componentForPath,
  folderTypeName,
  metadataType,
  type MetadataType,
} from './metadataTypes.js';
import {
  cloneStore,
  getComponent,
  metadataStore,
  newMetadataId,
  putComponent,
  removeComponent,
  replaceMetadataStore,
  type StoredComponent,
  type StoredParentDocument,
} from './store.js';
import {
  assembleDocument,
  fullNameOf,
  parsePackageXml,
  splitTopLevelElements,
  XmlFormatError,
  type PackageManifest,
} from './xml.js';

export interface DeployMessage {
  changed: boolean;
  columnNumber?: number;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id?: string;
  lineNumber?: number;
  problem?: string;
  problemType?: 'Error' | 'Warning';
  success: boolean;
}

export class CorruptZipError extends Error {}

/** Reads a zip; throws CorruptZipError when it is not one. */
export async function readZip(content: Buffer): Promise<Map<string, Buffer>> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(content);
  } catch (error) {
    throw new CorruptZipError(`The zip file is not valid: ${(error as Error).message}`);
  }
  const files = new Map<string, Buffer>();
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    files.set(entry.name.replace(/\\/g, '/'), await entry.async('nodebuffer'));
  }
  return files;
}

interface ComponentGroup {
  type: MetadataType;
  fullName: string;
  isFolder: boolean;
  files: Map<string, Buffer>;
}

const SPECIAL_FILES = /^(package|destructiveChanges|destructiveChangesPre|destructiveChangesPost)\.xml$/;

/** The folder that holds package.xml (`` or `unpackaged/`), and the files relative to it. */
function packageFiles(files: Map<string, Buffer>): Map<string, Buffer> | undefined {
  if (files.has('package.xml')) return files;
  const roots = [...files.keys()]
    .filter((path) => /^[^/]+\/package\.xml$/.test(path))
    .map((path) => path.slice(0, -'package.xml'.length));
  if (roots.length !== 1) return undefined;
  const root = roots[0] ?? '';
  const relative = new Map<string, Buffer>();
  for (const [path, content] of files)
    if (path.startsWith(root)) relative.set(path.slice(root.length), content);
  return relative;
}

function groupComponents(files: Map<string, Buffer>): Map<string, ComponentGroup> {
  const groups = new Map<string, ComponentGroup>();
  for (const [path, content] of files) {
    if (SPECIAL_FILES.test(path)) continue;
    const address = componentForPath(path);
    if (!address) continue;
    const key = `${address.type.xmlName}#${address.fullName.toLowerCase()}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        type: address.type,
        fullName: address.fullName,
        isFolder: address.isFolder,
        files: new Map(),
      };
      groups.set(key, group);
    }
    group.files.set(path, content);
  }
  return groups;
}

function listed(manifest: PackageManifest, typeName: string, fullName: string): boolean {
  const members = manifest.types.get(typeName) ?? [];
  return members.some((member) => member === '*' || member.toLowerCase() === fullName.toLowerCase());
}

/** Whether a zipped component is named by the manifest, itself or through a child member. */
function named(manifest: PackageManifest, group: ComponentGroup): boolean {
  if (listed(manifest, group.type.xmlName, group.fullName)) return true;
  for (const child of group.type.children) {
    const members = manifest.types.get(child.xmlName) ?? [];
    if (
      child.ignoreParentName
        ? members.length > 0
        : members.some(
            (member) => member === '*' || member.toLowerCase().startsWith(`${group.fullName.toLowerCase()}.`),
          )
    ) {
      return true;
    }
  }
  return false;
}

interface PlannedComponent {
  messages: DeployMessage[];
  failed: boolean;
  /** Applies the component to the org (inside the deploy transaction). */
  apply?: () => void;
  /** Applied before other components (objects before the Apex that uses them). */
  early?: boolean;
  /** Deletions named by destructiveChangesPre.xml, applied before anything is added. */
  beforeAll?: boolean;
  isApex?: boolean;
}

interface DeployContext {
  org: OrgState;
  now: string;
  deployedObjects: Set<string>;
  /** Custom metadata types as this deploy leaves them (lower-cased name), for checking their records. */
  plannedMetadataTypes: Map<string, ObjectDef>;
}

function message(
  context: DeployContext,
  values: Partial<DeployMessage> & Pick<DeployMessage, 'componentType' | 'fullName' | 'fileName'>,
): DeployMessage {
  return {
    changed: false,
    created: false,
    createdDate: context.now,
    deleted: false,
    success: true,
    ...values,
  };
}

/** A message's elements in the order of the WSDL (alphabetical), as Salesforce sends them. */
function inWsdlOrder(entry: DeployMessage): Record<string, unknown> {
  const all = entry as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(all)
      .sort()
      .map((key) => [key, all[key]]),
  );
}

function failure(
  context: DeployContext,
  componentType: string,
  fullName: string,
  fileName: string,
  problem: string,
  location?: { line: number; column: number },
): DeployMessage {
  return message(context, {
    componentType,
    fullName,
    fileName,
    success: false,
    problem,
    problemType: 'Error',
    ...(location ? { lineNumber: location.line, columnNumber: location.column } : {}),
  });
}

function filesToBase64(files: Map<string, Buffer>): Record<string, string> {
  return Object.fromEntries([...files].map(([path, content]) => [path, content.toString('base64')]));
}

function sameFiles(stored: StoredComponent | undefined, files: Record<string, string>): boolean {
  if (!stored) return false;
  const storedPaths = Object.keys(stored.files);
  const newPaths = Object.keys(files);
  return (
    storedPaths.length === newPaths.length && newPaths.every((path) => stored.files[path] === files[path])
  );
}

function newComponent(
  context: DeployContext,
  type: string,
  fullName: string,
  existing: StoredComponent | undefined,
  id?: string,
): StoredComponent {
  return {
    type,
    fullName,
    id: id ?? existing?.id ?? newMetadataId(context.org, '0Xx'),
    createdDate: existing?.createdDate ?? context.now,
    createdById: existing?.createdById ?? context.org.userId,
    lastModifiedDate: context.now,
    lastModifiedById: context.org.userId,
    files: {},
  };
}

function apiVersionOf(metaXml: string | undefined): number | undefined {
  const match = metaXml ? /<apiVersion>\s*([\d.]+)\s*<\/apiVersion>/.exec(metaXml) : null;
  return match ? Number(match[1]) : undefined;
}

function statusOf(metaXml: string | undefined): string | undefined {
  const match = metaXml ? /<status>\s*(\w+)\s*<\/status>/.exec(metaXml) : null;
  return match?.[1];
}

function planApex(context: DeployContext, group: ComponentGroup): PlannedComponent {
  const kind = group.type.xmlName === 'ApexClass' ? 'ApexClass' : 'ApexTrigger';
  const bodyPath = `${group.type.directoryName}/${group.fullName}.${group.type.suffix}`;
  const body = group.files.get(bodyPath)?.toString('utf8');
  if (body === undefined) {
    return {
      failed: true,
      messages: [
        failure(
          context,
          kind,
          group.fullName,
          `${bodyPath}-meta.xml`,
          `The file ${bodyPath} was not found in the zipped directory.`,
        ),
      ],
    };
  }
  const problems = checkApexSyntax(body, kind === 'ApexClass' ? 'class' : 'trigger');
  const [problem] = problems;
  if (problem) {
    return {
      failed: true,
      isApex: true,
      messages: [failure(context, kind, group.fullName, bodyPath, problem.problem, problem)],
    };
  }
  const metaXml = group.files.get(`${bodyPath}-meta.xml`)?.toString('utf8');
  const existing = findApexRecord(context.org, kind, group.fullName);
  const files = filesToBase64(group.files);
  const unchanged =
    Boolean(existing) &&
    existing?.Body === body &&
    sameFiles(getComponent(metadataStore(context.org), kind, group.fullName), files);
  const messages = [
    message(context, {
      componentType: kind,
      fullName: group.fullName,
      fileName: bodyPath,
      created: !existing,
      changed: Boolean(existing) && !unchanged,
      ...(existing ? { id: existing.Id } : {}),
    }),
  ];
  return {
    failed: false,
    isApex: true,
    messages,
    apply: () => {
      const { record } = saveApexSource(context.org, kind, {
        name: group.fullName,
        body,
        ...(apiVersionOf(metaXml) !== undefined ? { apiVersion: apiVersionOf(metaXml) as number } : {}),
        ...(statusOf(metaXml) ? { status: statusOf(metaXml) as string } : {}),
      });
      const first = messages[0];
      if (first) first.id = record.Id;
      const store = metadataStore(context.org);
      const stored = newComponent(
        context,
        kind,
        group.fullName,
        getComponent(store, kind, group.fullName),
        record.Id,
      );
      stored.files = files;
      putComponent(store, stored);
    },
  };
}

function mergeParent(
  existing: StoredParentDocument | undefined,
  incoming: StoredParentDocument,
): StoredParentDocument {
  const merged: StoredParentDocument = {
    rootName: incoming.rootName,
    header: incoming.header.length > 0 || !existing ? incoming.header : existing.header,
    children: JSON.parse(JSON.stringify(existing?.children ?? {})) as StoredParentDocument['children'],
  };
  for (const [element, byName] of Object.entries(incoming.children)) {
    const target = (merged.children[element] ??= {});
    for (const [name, raw] of Object.entries(byName)) target[name] = raw;
  }
  return merged;
}

/** The parent's own elements and its children, from a parent file's text. */
export function parentDocumentOf(type: MetadataType, xml: string): StoredParentDocument {
  const split = splitTopLevelElements(xml);
  const childElements = new Set(type.children.map((child) => child.element));
  const document: StoredParentDocument = { rootName: split.rootName, header: [], children: {} };
  for (const element of split.children) {
    const childName = childElements.has(element.name) ? fullNameOf(element.raw) : undefined;
    if (childName === undefined) {
      document.header.push(element.raw);
      continue;
    }
    (document.children[element.name] ??= {})[childName] = element.raw;
  }
  return document;
}

export function renderParentDocument(
  document: StoredParentDocument,
  only?: (element: string, name: string) => boolean,
): string {
  const children: string[] = [];
  for (const [element, byName] of Object.entries(document.children)) {
    for (const [name, raw] of Object.entries(byName)) if (!only || only(element, name)) children.push(raw);
  }
  const header = only ? [] : document.header;
  return assembleDocument(document.rootName, [...children, ...header]);
}

function planParent(context: DeployContext, group: ComponentGroup): PlannedComponent {
  const path = [...group.files.keys()][0] ?? '';
  const xml = group.files.get(path)?.toString('utf8') ?? '';
  let incoming: StoredParentDocument;
  try {
    incoming = parentDocumentOf(group.type, xml);
  } catch (error) {
    const problem = error instanceof XmlFormatError ? `Error parsing file: ${error.message}` : String(error);
    return { failed: true, messages: [failure(context, group.type.xmlName, group.fullName, path, problem)] };
  }
  if (incoming.rootName !== group.type.xmlName) {
    return {
      failed: true,
      messages: [
        failure(
          context,
          group.type.xmlName,
          group.fullName,
          path,
          `Error parsing file: Element {${'http://soap.sforce.com/2006/04/metadata'}}${incoming.rootName} invalid at this location in type Package`,
        ),
      ],
    };
  }
  const store = metadataStore(context.org);
  const existing = getComponent(store, group.type.xmlName, group.fullName);
  const merged = mergeParent(existing?.parent, incoming);
  const mergedXml = renderParentDocument(merged);
  const unchanged = Boolean(existing) && JSON.stringify(existing?.parent) === JSON.stringify(merged);
  const messages: DeployMessage[] = [];
  let objectPlan: ObjectPlan | undefined;
  let failed = false;
  if (group.type.xmlName === 'CustomObject') {
    objectPlan = planObject(
      group.fullName,
      mergedXml,
      (name) =>
        Boolean(context.org.schema.getObject(name)) || context.deployedObjects.has(name.toLowerCase()),
    );
    if (objectPlan.objectProblem) {
      failed = true;
      messages.push(failure(context, 'CustomObject', group.fullName, path, objectPlan.objectProblem));
    }
    for (const problem of objectPlan.problems) {
      failed = true;
      messages.push(failure(context, 'CustomField', problem.fullName, path, problem.problem));
    }
    if (objectPlan.metadataType && !failed) {
      const { label, labelPlural } = objectPlan.metadataType;
      context.plannedMetadataTypes.set(
        group.fullName.toLowerCase(),
        customMetadataObject(group.fullName, label, labelPlural, '', objectPlan.fields),
      );
    }
  }
  const isNew =
    !existing && !(group.type.xmlName === 'CustomObject' && context.org.schema.getObject(group.fullName));
  if (!failed) {
    messages.push(
      message(context, {
        componentType: group.type.xmlName,
        fullName: group.fullName,
        fileName: path,
        created: isNew,
        changed: !isNew && !unchanged,
      }),
    );
    for (const child of group.type.children) {
      for (const name of Object.keys(incoming.children[child.element] ?? {})) {
        const before = existing?.parent?.children[child.element]?.[name];
        const after = incoming.children[child.element]?.[name];
        messages.push(
          message(context, {
            componentType: child.xmlName,
            fullName: child.ignoreParentName ? name : `${group.fullName}.${name}`,
            fileName: path,
            created: before === undefined,
            changed: before !== undefined && before !== after,
          }),
        );
      }
    }
  }
  return {
    failed,
    early: group.type.xmlName === 'CustomObject',
    messages,
    apply: () => {
      if (objectPlan) applyObjectPlan(context.org.schema, objectPlan, mergedXml);
      const component = newComponent(
        context,
        group.type.xmlName,
        group.fullName,
        existing,
        existing?.id ?? newMetadataId(context.org, group.type.xmlName === 'CustomObject' ? '01I' : '0Xx'),
      );
      component.parent = merged;
      putComponent(metadataStore(context.org), component);
    },
  };
}

function planFiles(context: DeployContext, group: ComponentGroup): PlannedComponent {
  const store = metadataStore(context.org);
  const existing = getComponent(store, group.type.xmlName, group.fullName);
  const files = filesToBase64(group.files);
  const unchanged = sameFiles(existing, files);
  const fileName =
    [...group.files.keys()].find((path) => !path.endsWith('-meta.xml')) ?? [...group.files.keys()][0] ?? '';
  return {
    failed: false,
    messages: [
      message(context, {
        componentType: group.isFolder ? folderTypeName(group.type) : group.type.xmlName,
        fullName: group.fullName,
        fileName: group.type.layout === 'bundle' ? `${group.type.directoryName}/${group.fullName}` : fileName,
        created: !existing,
        changed: Boolean(existing) && !unchanged,
        ...(existing ? { id: existing.id } : {}),
      }),
    ],
    apply: () => {
      const component = newComponent(context, group.type.xmlName, group.fullName, existing);
      component.files = files;
      putComponent(metadataStore(context.org), component);
    },
  };
}

/** A custom metadata record: kept as its file, and a row of its type for SOQL. */
function planCustomMetadata(context: DeployContext, group: ComponentGroup): PlannedComponent {
  const files = planFiles(context, group);
  const path = [...group.files.keys()][0] ?? '';
  const plan = planCustomMetadataRecord(
    group.fullName,
    group.files.get(path)?.toString('utf8') ?? '',
    (name) => context.plannedMetadataTypes.get(name.toLowerCase()) ?? context.org.schema.getObject(name),
  );
  if (plan.problem)
    return {
      failed: true,
      messages: [failure(context, 'CustomMetadata', group.fullName, path, plan.problem)],
    };
  return {
    ...files,
    apply: () => {
      files.apply?.();
      saveCustomMetadataRecord(context.org, plan);
    },
  };
}

function planComponent(context: DeployContext, group: ComponentGroup): PlannedComponent {
  if (group.type.xmlName === 'ApexClass' || group.type.xmlName === 'ApexTrigger')
    return planApex(context, group);
  if (group.type.xmlName === 'CustomMetadata') return planCustomMetadata(context, group);
  if (group.type.layout === 'parent' && !group.isFolder) return planParent(context, group);
  return planFiles(context, group);
}

/** Components a destructive manifest names: deletes to apply, and messages. */
function planDeletions(
  context: DeployContext,
  manifest: PackageManifest,
  fileName: string,
): PlannedComponent[] {
  const planned: PlannedComponent[] = [];
  const store = metadataStore(context.org);
  for (const [typeName, members] of manifest.types) {
    const child = childType(typeName);
    const type = metadataType(typeName);
    for (const member of members) {
      const notFound = (): PlannedComponent => ({
        failed: false,
        messages: [
          message(context, {
            componentType: typeName,
            fullName: fileName,
            fileName,
            problem: `No ${typeName} named: ${member} found`,
            problemType: 'Warning',
          }),
        ],
      });
      const deleted = (apply: () => void): PlannedComponent => ({
        failed: false,
        messages: [message(context, { componentType: typeName, fullName: member, fileName, deleted: true })],
        apply,
      });
      if (typeName === 'ApexClass' || typeName === 'ApexTrigger') {
        if (!findApexRecord(context.org, typeName, member)) planned.push(notFound());
        else
          planned.push(
            deleted(() => {
              deleteApexSource(context.org, typeName, member);
              removeComponent(metadataStore(context.org), typeName, member);
            }),
          );
        continue;
      }
      if (child && !child.ignoreParentName) {
        const [parentName, ...rest] = member.split('.');
        const childName = rest.join('.');
        const parent = getComponent(store, child.parent.xmlName, parentName ?? '');
        const exists = parent?.parent?.children[child.element]?.[childName] !== undefined;
        const schemaField =
          child.xmlName === 'CustomField'
            ? context.org.schema.getField(parentName ?? '', childName)
            : undefined;
        if (!exists && !schemaField?.custom) {
          planned.push(notFound());
          continue;
        }
        planned.push(
          deleted(() => {
            const current = getComponent(metadataStore(context.org), child.parent.xmlName, parentName ?? '');
            if (current?.parent?.children[child.element])
              delete current.parent.children[child.element]?.[childName];
            if (child.xmlName === 'CustomField') removeField(context.org, parentName ?? '', childName);
          }),
        );
        continue;
      }
      if (child) {
        const parents = Object.values(store.components[child.parent.xmlName] ?? {});
        const holder = parents.find(
          (candidate) => candidate.parent?.children[child.element]?.[member] !== undefined,
        );
        if (!holder) planned.push(notFound());
        else planned.push(deleted(() => delete holder.parent?.children[child.element]?.[member]));
        continue;
      }
      const exists =
        Boolean(getComponent(store, typeName, member)) ||
        (typeName === 'CustomObject' && Boolean(context.org.schema.getObject(member)?.custom));
      if (!type || !exists) {
        planned.push(notFound());
        continue;
      }
      planned.push(
        deleted(() => {
          removeComponent(metadataStore(context.org), typeName, member);
          if (typeName === 'CustomObject') removeObject(context.org, member);
          if (typeName === 'CustomMetadata') deleteCustomMetadataRecord(context.org, member);
        }),
      );
    }
  }
  return planned;
}

interface SchemaRemovals {
  removeObject?: (name: string) => void;
  removeField?: (objectName: string, fieldName: string) => void;
}

class UnsupportedDeletion extends Error {}

function removeObject(org: OrgState, name: string): void {
  const schema = org.schema as unknown as SchemaRemovals;
  if (!schema.removeObject)
    throw new UnsupportedDeletion(
      `Deleting the custom object ${name} is not supported by the local org yet.`,
    );
  schema.removeObject(name);
}

function removeField(org: OrgState, objectName: string, fieldName: string): void {
  const schema = org.schema as unknown as SchemaRemovals;
  if (!schema.removeField)
    throw new UnsupportedDeletion(
      `Deleting the custom field ${objectName}.${fieldName} is not supported by the local org yet.`,
    );
  schema.removeField(objectName, fieldName);
}

class RollbackSignal extends Error {}

export interface DeployOutcome {
  status: 'Succeeded' | 'SucceededPartial' | 'Failed';
  successes: DeployMessage[];
  failures: DeployMessage[];
  numberComponentsTotal: number;
  numberComponentsDeployed: number;
  numberComponentErrors: number;
  tests?: TestRunOutcome;
  runTestsEnabled: boolean;
  errorMessage?: string;
  errorStatusCode?: string;
  /** Whether the validation ran tests (or had no Apex), so a quick deploy may use it. */
  quickDeployable: boolean;
}

/** The test-run request a deploy's options ask for, in the shape planTestRun takes; none for NoTestRun. */
function testsToRun(options: DeployOptionsInput): Record<string, unknown> | undefined {
  switch (options.testLevel) {
    case 'RunSpecifiedTests':
      return { tests: options.runTests.map((className) => ({ className })) };
    case 'RunLocalTests':
    case 'RunAllTestsInOrg':
      return { testLevel: options.testLevel };
    default:
      return undefined;
  }
}

export function failedOutcome(errorMessage: string, errorStatusCode?: string): DeployOutcome {
  return {
    status: 'Failed',
    successes: [],
    failures: [],
    numberComponentsTotal: 0,
    numberComponentsDeployed: 0,
    numberComponentErrors: 0,
    runTestsEnabled: false,
    errorMessage,
    ...(errorStatusCode ? { errorStatusCode } : {}),
    quickDeployable: false,
  };
}

/**
 * Succeeded when nothing failed; with failures, Failed when the deploy rolled back (rollbackOnError,
 * failing tests) or nothing could be deployed, else SucceededPartial.
 */
function deployStatus(counts: {
  componentFailures: number;
  componentCount: number;
  testsFailed: boolean;
  rollbackOnError: boolean;
}): DeployOutcome['status'] {
  if (counts.componentFailures === 0 && !counts.testsFailed) return 'Succeeded';
  if (counts.rollbackOnError || counts.testsFailed || counts.componentFailures === counts.componentCount)
    return 'Failed';
  return 'SucceededPartial';
}

/** Runs one deploy against the org. */
export async function runDeploy(
  org: OrgState,
  zipContent: Buffer,
  options: DeployOptionsInput,
): Promise<DeployOutcome> {
  const zipped = packageFiles(await readZip(zipContent));
  if (!zipped) return failedOutcome('No package.xml found');
  const now = org.now().toISOString();
  const context: DeployContext = { org, now, deployedObjects: new Set(), plannedMetadataTypes: new Map() };
  let manifest: PackageManifest;
  try {
    manifest = parsePackageXml(zipped.get('package.xml')?.toString('utf8') ?? '');
  } catch (error) {
    return failedOutcome(`package.xml: ${(error as Error).message}`);
  }
  const planned: PlannedComponent[] = [];
  const packageMessage = message(context, {
    componentType: '',
    fullName: 'package.xml',
    fileName: 'package.xml',
    changed: true,
  });
  for (const typeName of manifest.types.keys()) {
    if (!metadataType(typeName) && !childType(typeName)) {
      planned.push({
        failed: true,
        messages: [
          failure(
            context,
            '',
            'package.xml',
            'package.xml',
            `Unknown type name '${typeName}' specified in package.xml`,
          ),
        ],
      });
    }
  }
  // Objects first, so the records of a custom metadata type deployed alongside can be checked against it.
  const groups = [...groupComponents(zipped).values()]
    .filter((group) => named(manifest, group))
    .sort((a, b) => Number(b.type.xmlName === 'CustomObject') - Number(a.type.xmlName === 'CustomObject'));
  for (const group of groups)
    if (group.type.xmlName === 'CustomObject') context.deployedObjects.add(group.fullName.toLowerCase());
  const present = new Set(groups.map((group) => `${group.type.xmlName}#${group.fullName.toLowerCase()}`));
  for (const [typeName, members] of manifest.types) {
    const type = metadataType(typeName);
    const child = childType(typeName);
    for (const member of members) {
      if (member === '*') continue;
      const key = type
        ? `${type.xmlName}#${member.toLowerCase()}`
        : child && !child.ignoreParentName
          ? `${child.parent.xmlName}#${(member.split('.')[0] ?? '').toLowerCase()}`
          : undefined;
      if (!key || present.has(key)) continue;
      if (options.allowMissingFiles) continue;
      planned.push({
        failed: true,
        messages: [
          failure(
            context,
            typeName,
            member,
            'package.xml',
            `An object '${member}' of type ${typeName} was named in package.xml, but was not found in zipped directory`,
          ),
        ],
      });
    }
  }
  for (const group of groups) planned.push(planComponent(context, group));
  const destructive: PlannedComponent[] = [];
  for (const fileName of [
    'destructiveChangesPre.xml',
    'destructiveChanges.xml',
    'destructiveChangesPost.xml',
  ]) {
    const content = zipped.get(fileName);
    if (!content) continue;
    try {
      const deletions = planDeletions(context, parsePackageXml(content.toString('utf8')), fileName);
      destructive.push(
        ...(fileName === 'destructiveChangesPre.xml'
          ? deletions.map((item) => ({ ...item, beforeAll: true }))
          : deletions),
      );
    } catch (error) {
      destructive.push({
        failed: true,
        messages: [failure(context, '', fileName, fileName, (error as Error).message)],
      });
    }
  }
  const all = [...planned, ...destructive];
  const anyFailed = all.some((item) => item.failed);
  const testPayload = testsToRun(options);
  const storeBefore = cloneStore(metadataStore(org));
  let tests: TestRunOutcome | undefined;
  let testError: string | undefined;
  const apply = () => {
    const rank = (entry: PlannedComponent) => (entry.beforeAll ? 0 : entry.early ? 1 : 2);
    for (const item of [...all].sort((a, b) => rank(a) - rank(b))) {
      if (!item.failed) item.apply?.();
    }
  };
  const rollbackWanted = () =>
    options.checkOnly ||
    (anyFailed && options.rollbackOnError) ||
    Boolean(tests?.results.some(isFailure)) ||
    Boolean(testError);
  if (!anyFailed || !options.rollbackOnError) {
    try {
      org.records.transaction(() => {
        apply();
        if (testPayload) {
          try {
            tests = executeTestPlan(org, planTestRun(org, testPayload), { skipCodeCoverage: false });
          } catch (error) {
            testError = (error as Error).message;
          }
        }
        if (rollbackWanted()) throw new RollbackSignal();
      });
    } catch (error) {
      replaceMetadataStore(org, storeBefore);
      if (error instanceof UnsupportedDeletion) return failedOutcome(error.message, 'UNSUPPORTED');
      if (!(error instanceof RollbackSignal)) throw error;
    }
  }
  const messages = all.flatMap((item) => item.messages);
  const failures = messages.filter((entry) => !entry.success);
  const successes = [packageMessage, ...messages.filter((entry) => entry.success)];
  const testFailures = tests?.results.filter(isFailure).length ?? 0;
  const componentCount = messages.filter((entry) => entry.problemType !== 'Warning').length;
  const status = deployStatus({
    componentFailures: failures.length,
    componentCount,
    testsFailed: testFailures > 0 || Boolean(testError),
    rollbackOnError: options.rollbackOnError,
  });
  const hasApex = planned.some((item) => item.isApex);
  // A validation is quick-deployable only when its tests ran: not when any was not run (no declared outcome).
  const testsRan = tests ? tests.results.every((result) => result.outcome !== 'Skip') : !hasApex;
  return {
    status,
    successes,
    failures,
    numberComponentsTotal: componentCount,
    numberComponentsDeployed:
      status === 'Failed' && options.rollbackOnError ? 0 : componentCount - failures.length,
    numberComponentErrors: failures.length,
    ...(tests ? { tests } : {}),
    runTestsEnabled: Boolean(testPayload),
    ...(testError ? { errorMessage: testError, errorStatusCode: 'INVALID_INPUT' } : {}),
    quickDeployable: options.checkOnly && status === 'Succeeded' && testsRan,
  };
}

/**
 * The RunTestsResult of a deploy's tests, as checkDeployStatus reports it. A test that was not run
 * (no declared outcome: Skip) is neither a success nor a failure and is not counted in numTestsRun; the
 * Metadata API's RunTestsResult has no list of skipped tests, so each test class with tests not run gets
 * a `codeCoverageWarnings` entry naming them (the field source-deploy-retrieve types as
 * `CodeCoverageWarnings` and `sf project deploy` prints): the deploy never says they passed.
 */
export function runTestResultOf(outcome: DeployOutcome): Record<string, unknown> {
  const results = outcome.tests?.results ?? [];
  const failures = results.filter(isFailure);
  const successes = results.filter((result) => result.outcome === 'Pass');
  return {
    codeCoverage: codeCoverageResults(outcome.tests?.coverage ?? []),
    codeCoverageWarnings: notRunWarnings(results),
    failures: failures.map((result) => ({
      id: result.testClass.record.Id,
      message: result.message ?? '',
      methodName: result.methodName,
      name: result.testClass.name,
      namespace: null,
      packageName: result.testClass.name,
      stackTrace: result.stackTrace ?? '',
      time: result.runTime,
      type: 'Class',
    })),
    numFailures: failures.length,
    numTestsRun: failures.length + successes.length,
    successes: successes.map((result) => ({
      id: result.testClass.record.Id,
      methodName: result.methodName,
      name: result.testClass.name,
      namespace: null,
      time: result.runTime,
    })),
    totalTime: results.reduce((sum, result) => sum + result.runTime, 0),
  };
}

/** The full DeployResult for a finished job. */
export function deployResultOf(
  org: OrgState,
  job: DeployJob,
  outcome: DeployOutcome,
): Record<string, unknown> {
  const user = org.records.get(org.userId);
  const results = outcome.tests?.results ?? [];
  const testErrors = results.filter(isFailure).length;
  // Completed counts the tests that passed; the total counts every test the deploy asked for, run or not.
  const testsPassed = results.filter((result) => result.outcome === 'Pass').length;
  return {
    checkOnly: job.options.checkOnly,
    completedDate: job.completedDate,
    createdBy: org.userId,
    createdByName: String(user?.Name ?? org.username),
    createdDate: job.createdDate,
    details: {
      componentFailures: outcome.failures.map(inWsdlOrder),
      componentSuccesses: outcome.successes.map(inWsdlOrder),
      runTestResult: runTestResultOf(outcome),
    },
    done: true,
    ...(outcome.errorMessage ? { errorMessage: outcome.errorMessage } : {}),
    ...(outcome.errorStatusCode ? { errorStatusCode: outcome.errorStatusCode } : {}),
    id: job.id,
    ignoreWarnings: job.options.ignoreWarnings,
    lastModifiedDate: job.completedDate,
    numberComponentErrors: outcome.numberComponentErrors,
    numberComponentsDeployed: outcome.numberComponentsDeployed,
    numberComponentsTotal: outcome.numberComponentsTotal,
    numberTestErrors: testErrors,
    numberTestsCompleted: testsPassed,
    numberTestsTotal: results.length,
    rollbackOnError: job.options.rollbackOnError,
    runTestsEnabled: outcome.runTestsEnabled,
    startDate: job.startDate,
    status: outcome.status,
    success: outcome.status !== 'Failed',
  };
}
