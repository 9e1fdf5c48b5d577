/**
 * Deploying a metadata-format zip: every component is checked first (Apex must parse, objects
 * and fields must make sense), then applied in one transaction with the Apex tests the options
 * ask for. A failure with rollbackOnError (the default), a failing test or checkOnly leaves the
 * org as it was. Components the org has no behaviour for are kept as their files, with a warning
 * that says so; Lightning web components are compiled first.
 */
import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { checkApexSyntax } from '../apex/index.js';
import type { ObjectDef, OrgState } from '../state/types.js';
import { deleteApexSource, findApexRecord, listApexRecords, saveApexSource } from '../tooling/apexRecords.js';
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
  deletePermissionComponent,
  isPermissionType,
  permissionComponentExists,
  planPermissionComponent,
} from './permission-sets.js';
import { compileLwcBundle, type LwcProblem } from './lwc-compile.js';
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
  /** Applied after the others, in this order: permission sets (1) after the classes they grant, groups (2) after their sets. */
  after?: number;
}

interface DeployContext {
  org: OrgState;
  /**
   * Components the destructive manifests planned so far delete (`CustomField#account.foo__c`, lower case):
   * a reference from a component that goes in the same deploy does not block a deletion.
   */
  deleting?: Set<string>;
  now: string;
  deployedObjects: Set<string>;
  /** Custom metadata types as this deploy leaves them (lower-cased name), for checking their records. */
  plannedMetadataTypes: Map<string, ObjectDef>;
  /** Lightning web component bundles of this deploy (lower-cased name) → the files that do not compile. */
  lwcProblems: Map<string, LwcProblem[]>;
  /** A zip file's content (base64) → its entries' names and digests: a folder zipped anew compares by what it holds. */
  zipContents: Map<string, string>;
  /** Every component of this deploy (permission sets may name objects, fields, classes and sets of the same deploy). */
  components?: readonly ComponentGroup[];
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

/**
 * Whether a component's files are the ones stored. Two zips (a static resource's folder, zipped anew by
 * SDR on every deploy, with new timestamps) are the same when they hold the same entries with the same bytes.
 */
function sameFiles(
  stored: StoredComponent | undefined,
  files: Record<string, string>,
  zipContents?: Map<string, string>,
): boolean {
  if (!stored) return false;
  const storedPaths = Object.keys(stored.files);
  const newPaths = Object.keys(files);
  const same = (before: string | undefined, after: string | undefined) => {
    if (before === after) return true;
    const beforeEntries = before === undefined ? undefined : zipContents?.get(before);
    return (
      beforeEntries !== undefined &&
      beforeEntries === (after === undefined ? undefined : zipContents?.get(after))
    );
  };
  return (
    storedPaths.length === newPaths.length && newPaths.every((path) => same(stored.files[path], files[path]))
  );
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** A zip's entries (files, not folders) by name with a digest of their bytes, sorted; undefined when it is not a zip. */
async function zipEntriesDigest(content: Buffer): Promise<string | undefined> {
  if (!content.subarray(0, 4).equals(ZIP_MAGIC)) return undefined;
  try {
    const zip = await JSZip.loadAsync(content);
    const entries: string[] = [];
    for (const entry of Object.values(zip.files)) {
      if (entry.dir) continue;
      const bytes = await entry.async('nodebuffer');
      entries.push(`${entry.name.replace(/\\/g, '/')}\t${createHash('sha256').update(bytes).digest('hex')}`);
    }
    return entries.sort().join('\n');
  } catch {
    return undefined;
  }
}

/**
 * What planning needs that takes awaiting: each Lightning web component bundle compiled, and the
 * entries of each zip a static resource holds (the deployed one and the one stored before).
 */
async function prepareGroups(context: DeployContext, groups: ComponentGroup[]): Promise<void> {
  const store = metadataStore(context.org);
  for (const group of groups) {
    if (group.type.xmlName === 'LightningComponentBundle') {
      const problems = await compileLwcBundle(group.fullName, group.files);
      if (problems.length > 0) context.lwcProblems.set(group.fullName.toLowerCase(), problems);
    }
    if (group.type.xmlName !== 'StaticResource') continue;
    const contents = [
      ...[...group.files.values()].map((content) => content.toString('base64')),
      ...Object.values(getComponent(store, group.type.xmlName, group.fullName)?.files ?? {}),
    ];
    for (const base64 of contents) {
      if (context.zipContents.has(base64)) continue;
      const digest = await zipEntriesDigest(Buffer.from(base64, 'base64'));
      if (digest !== undefined) context.zipContents.set(base64, digest);
    }
  }
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
      componentMessage(context, {
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
        // A field the org already has, and a standard field (no `__c`: every org has it), is changed, never created.
        const inOrg =
          child.xmlName === 'CustomField' &&
          (!name.toLowerCase().endsWith('__c') || Boolean(context.org.schema.getField(group.fullName, name)));
        messages.push(
          componentMessage(context, {
            componentType: child.xmlName,
            fullName: child.ignoreParentName ? name : `${group.fullName}.${name}`,
            fileName: path,
            created: before === undefined && !inOrg,
            changed: before === undefined ? inOrg : before !== after,
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

/**
 * Types the local org gives behaviour to (Apex, objects and their fields, custom metadata records,
 * permission sets and groups, Lightning web components, compiled at deploy). Any other component is
 * kept as its files only, and its deploy message says so with a warning: never a silent "Created".
 */
const MODELED_TYPES = new Set([
  'ApexClass',
  'ApexTrigger',
  'CustomObject',
  'CustomField',
  'CustomMetadata',
  'LightningComponentBundle',
  'PermissionSet',
  'PermissionSetGroup',
]);

/** Types that would run in an org (automation, pages, bots): the warning says they do not. */
const RUNNABLE_TYPES = new Set([
  'ApexComponent',
  'ApexPage',
  'ApprovalProcess',
  'AssignmentRule',
  'AssignmentRules',
  'AuraDefinitionBundle',
  'AutoResponseRule',
  'AutoResponseRules',
  'Bot',
  'DuplicateRule',
  'EscalationRule',
  'EscalationRules',
  'Flow',
  'ValidationRule',
  'Workflow',
  'WorkflowRule',
]);

/** Messages that are warnings about a component (counted as components), unlike a "No X named" warning. */
const componentWarnings = new WeakSet<DeployMessage>();

/** The warning of a component the local org keeps as files only; none for a type it models. */
function notModeled(
  typeName: string,
  shownAs: string,
): Pick<DeployMessage, 'problem' | 'problemType'> | undefined {
  if (MODELED_TYPES.has(typeName)) return undefined;
  const effect = RUNNABLE_TYPES.has(typeName) ? 'it does not run' : 'it has no effect in the local org';
  return {
    problem: `The local org keeps this ${shownAs} as metadata only: ${effect}.`,
    problemType: 'Warning',
  };
}

/** A component's success message, with the not-modeled warning its type calls for. */
function componentMessage(
  context: DeployContext,
  values: Partial<DeployMessage> & Pick<DeployMessage, 'componentType' | 'fullName' | 'fileName'>,
  modeledAs: string = values.componentType,
): DeployMessage {
  const warning = notModeled(modeledAs, values.componentType);
  const entry = message(context, { ...values, ...(warning ?? {}) });
  if (warning) componentWarnings.add(entry);
  return entry;
}

function planFiles(context: DeployContext, group: ComponentGroup): PlannedComponent {
  const store = metadataStore(context.org);
  const existing = getComponent(store, group.type.xmlName, group.fullName);
  const files = filesToBase64(group.files);
  const unchanged = sameFiles(existing, files, context.zipContents);
  const fileName =
    [...group.files.keys()].find((path) => !path.endsWith('-meta.xml')) ?? [...group.files.keys()][0] ?? '';
  // A folder of files (a bundle, an ExperienceBundle) is reported by its folder.
  const isFolderOfFiles =
    group.type.layout === 'bundle' || (group.type.layout === 'mixed' && !group.type.suffix);
  const componentType = group.isFolder ? folderTypeName(group.type) : group.type.xmlName;
  return {
    failed: false,
    messages: [
      componentMessage(
        context,
        {
          componentType,
          fullName: group.fullName,
          fileName: isFolderOfFiles ? `${group.type.directoryName}/${group.fullName}` : fileName,
          created: !existing,
          changed: Boolean(existing) && !unchanged,
          ...(existing ? { id: existing.id } : {}),
        },
        group.type.xmlName,
      ),
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
    (name) => context.deployedObjects.has(name.toLowerCase()),
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

/** A Lightning web component bundle: kept as its files when every file compiles, else one failure per file that does not. */
function planLwc(context: DeployContext, group: ComponentGroup): PlannedComponent {
  const problems = context.lwcProblems.get(group.fullName.toLowerCase()) ?? [];
  if (problems.length === 0) return planFiles(context, group);
  return {
    failed: true,
    messages: problems.map((problem) =>
      failure(
        context,
        'LightningComponentBundle',
        group.fullName,
        problem.fileName,
        problem.problem,
        problem.line !== undefined && problem.column !== undefined
          ? { line: problem.line, column: problem.column }
          : undefined,
      ),
    ),
  };
}

/** A permission set or group: kept as its file, and made records (permission-sets.ts). */
function planPermissions(context: DeployContext, group: ComponentGroup): PlannedComponent {
  const files = planFiles(context, group);
  const typeName = group.type.xmlName as 'PermissionSet' | 'PermissionSetGroup';
  const path = [...group.files.keys()][0] ?? '';
  const xml = group.files.get(path)?.toString('utf8') ?? '';
  const plan = planPermissionComponent(context.org, typeName, group.fullName, xml, context.components ?? []);
  if (plan.problems.length > 0)
    return {
      failed: true,
      messages: plan.problems.map((problem) => failure(context, typeName, group.fullName, path, problem)),
    };
  const [entry] = files.messages;
  if (entry && plan.exists && entry.created) Object.assign(entry, { created: false, changed: true });
  if (entry && plan.warning) {
    Object.assign(entry, { problem: plan.warning, problemType: 'Warning' });
    componentWarnings.add(entry);
  }
  return {
    ...files,
    after: typeName === 'PermissionSet' ? 1 : 2,
    apply: () => {
      files.apply?.();
      const id = plan.apply();
      if (entry) entry.id = id;
      const stored = getComponent(metadataStore(context.org), typeName, group.fullName);
      if (stored) stored.id = id;
    },
  };
}

function planComponent(context: DeployContext, group: ComponentGroup): PlannedComponent {
  if (group.type.xmlName === 'ApexClass' || group.type.xmlName === 'ApexTrigger')
    return planApex(context, group);
  if (group.type.xmlName === 'CustomMetadata') return planCustomMetadata(context, group);
  if (group.type.xmlName === 'LightningComponentBundle') return planLwc(context, group);
  if (isPermissionType(group.type.xmlName) && !group.isFolder) return planPermissions(context, group);
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
  prepareDeletions(context, manifest);
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
      if (typeName === 'PermissionSet' || typeName === 'PermissionSetGroup') {
        if (
          !getComponent(store, typeName, member) &&
          !permissionComponentExists(context.org, typeName, member)
        )
          planned.push(notFound());
        else
          planned.push(
            deleted(() => {
              removeComponent(metadataStore(context.org), typeName, member);
              deletePermissionComponent(context.org, typeName, member);
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
        const fieldProblem = schemaField
          ? fieldDeletionProblem(context, parentName ?? '', schemaField)
          : undefined;
        if (fieldProblem) {
          planned.push({
            failed: true,
            messages: [failure(context, typeName, member, fileName, fieldProblem)],
          });
          continue;
        }
        if (!exists && !schemaField?.custom) {
          planned.push(notFound());
          continue;
        }
        planned.push(
          deleted(() => {
            const current = getComponent(metadataStore(context.org), child.parent.xmlName, parentName ?? '');
            const siblings = current?.parent?.children[child.element];
            const key = Object.keys(siblings ?? {}).find(
              (name) => name.toLowerCase() === childName.toLowerCase(),
            );
            if (siblings && key !== undefined) delete siblings[key];
            // A field of an object this deploy already deleted went with it.
            if (child.xmlName === 'CustomField' && context.org.schema.getField(parentName ?? '', childName))
              removeField(context.org, parentName ?? '', childName);
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
      const objectProblem = typeName === 'CustomObject' ? objectDeletionProblem(context, member) : undefined;
      if (objectProblem) {
        planned.push({
          failed: true,
          messages: [failure(context, typeName, member, fileName, objectProblem)],
        });
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
          if (typeName === 'CustomObject' && context.org.schema.getObject(member)?.custom)
            removeObject(context.org, member);
          if (typeName === 'CustomMetadata') deleteCustomMetadataRecord(context.org, member);
        }),
      );
    }
  }
  return planned;
}

/**
 * Notes what a destructive manifest deletes (so references between components deleted together do not
 * block them), and orders its members as they can go: CustomObject last, details before their masters.
 */
function prepareDeletions(context: DeployContext, manifest: PackageManifest): void {
  const deleting = (context.deleting ??= new Set());
  for (const [typeName, members] of manifest.types)
    for (const member of members) deleting.add(`${typeName}#${member}`.toLowerCase());
  const objects = manifest.types.get('CustomObject');
  if (!objects) return;
  const ordered: string[] = [];
  const remaining = [...objects];
  while (remaining.length > 0) {
    // An object goes once no other remaining object is its detail.
    const index = remaining.findIndex((candidate) =>
      context.org.schema
        .childRelationships(candidate)
        .filter((detail) => detail.cascadeDelete)
        .every(
          (detail) =>
            !remaining.some(
              (other) => other !== candidate && other.toLowerCase() === detail.childSObject.toLowerCase(),
            ),
        ),
    );
    ordered.push(...remaining.splice(index < 0 ? 0 : index, 1));
  }
  manifest.types.delete('CustomObject');
  manifest.types.set('CustomObject', ordered);
}

function deletedInThisDeploy(context: DeployContext, typeName: string, fullName: string): boolean {
  return context.deleting?.has(`${typeName}#${fullName}`.toLowerCase()) ?? false;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Apex classes and triggers (not deleted by this deploy) whose body matches. */
function apexMentioning(context: DeployContext, pattern: RegExp): string[] {
  const found: string[] = [];
  for (const kind of ['ApexClass', 'ApexTrigger'] as const) {
    for (const record of listApexRecords(context.org, kind)) {
      const name = String(record.Name ?? '');
      if (deletedInThisDeploy(context, kind, name)) continue;
      if (pattern.test(String(record.Body ?? '')))
        found.push(`${kind === 'ApexClass' ? 'Apex Class' : 'Apex Trigger'} - ${name}`);
    }
  }
  return found;
}

/** A formula (`<formula>`, `<errorConditionFormula>`) in a stored element, without XML escapes. */
function formulaOf(elementXml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(elementXml);
  return match?.[1]
    ?.replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * Why a field cannot be deleted, as Salesforce refuses it: a standard field, or a custom field that a
 * formula field, a validation rule or Apex code still refers to (unless that goes in the same deploy).
 */
function fieldDeletionProblem(
  context: DeployContext,
  objectName: string,
  field: { name: string; custom: boolean },
): string | undefined {
  const object = context.org.schema.getObject(objectName);
  if (!object) return undefined;
  if (!field.custom)
    return `Cannot delete the standard field ${object.name}.${field.name}: only custom fields can be deleted.`;
  // A field of a custom object deleted in the same deploy goes with it.
  if (object.custom && deletedInThisDeploy(context, 'CustomObject', object.name)) return undefined;
  const own = new RegExp(`(^|[^\\w.])(${escapeRegExp(object.name)}\\.)?${escapeRegExp(field.name)}\\b`, 'i');
  const across = new RegExp(`\\.${escapeRegExp(field.name)}\\b`, 'i');
  const referrers: string[] = [];
  const store = metadataStore(context.org);
  for (const component of Object.values(store.components.CustomObject ?? {})) {
    const holder = component.fullName;
    if (deletedInThisDeploy(context, 'CustomObject', holder)) continue;
    const sameObject = holder.toLowerCase() === object.name.toLowerCase();
    const pointsHere = (context.org.schema.getObject(holder)?.fields ?? []).some((candidate) =>
      candidate.referenceTo?.some((target) => target.toLowerCase() === object.name.toLowerCase()),
    );
    if (!sameObject && !pointsHere) continue;
    const pattern = sameObject ? own : across;
    for (const [name, xml] of Object.entries(component.parent?.children.fields ?? {})) {
      if (sameObject && name.toLowerCase() === field.name.toLowerCase()) continue;
      if (deletedInThisDeploy(context, 'CustomField', `${holder}.${name}`)) continue;
      const formula = formulaOf(xml, 'formula');
      if (formula && pattern.test(formula)) referrers.push(`Custom Field Definition - ${holder}.${name}`);
    }
    for (const [name, xml] of Object.entries(component.parent?.children.validationRules ?? {})) {
      if (deletedInThisDeploy(context, 'ValidationRule', `${holder}.${name}`)) continue;
      const formula = formulaOf(xml, 'errorConditionFormula');
      if (formula && pattern.test(formula)) referrers.push(`Validation Rule - ${holder}.${name}`);
    }
  }
  referrers.push(
    ...apexMentioning(
      context,
      new RegExp(`\\b${escapeRegExp(object.name)}\\.${escapeRegExp(field.name)}\\b`, 'i'),
    ),
  );
  if (referrers.length === 0) return undefined;
  return `This custom field is referenced elsewhere in salesforce.com. : ${referrers.join(', ')}`;
}

/**
 * Why an object cannot be deleted: a standard object; the master of another object's master-detail
 * field (the detail goes first); the target of another object's lookup; an object Apex code names.
 * What this deploy deletes as well does not count.
 */
function objectDeletionProblem(context: DeployContext, name: string): string | undefined {
  const object = context.org.schema.getObject(name);
  if (!object) return undefined;
  if (!object.custom)
    return `Cannot delete the standard object ${object.name}: only custom objects can be deleted.`;
  const remaining = context.org.schema
    .childRelationships(object.name)
    .filter(
      (child) =>
        child.childSObject.toLowerCase() !== object.name.toLowerCase() &&
        !deletedInThisDeploy(context, 'CustomObject', child.childSObject) &&
        !deletedInThisDeploy(context, 'CustomField', `${child.childSObject}.${child.field}`),
    );
  const details = remaining.filter((child) => child.cascadeDelete);
  if (details.length > 0)
    return `Cannot delete ${object.name}: it is the master in a master-detail relationship (${details
      .map((child) => `${child.childSObject}.${child.field}`)
      .join(', ')}). Delete the detail object or its master-detail field first.`;
  const referrers = [
    ...remaining.map((child) => `Custom Field Definition - ${child.childSObject}.${child.field}`),
    ...apexMentioning(context, new RegExp(`\\b${escapeRegExp(object.name)}\\b`, 'i')),
  ];
  if (referrers.length === 0) return undefined;
  return `This custom object is referenced elsewhere in salesforce.com. : ${referrers.join(', ')}`;
}

class UnsupportedDeletion extends Error {}

/** The schema refuses what planning missed; the deploy then fails as a whole and rolls back. */
function removeObject(org: OrgState, name: string): void {
  try {
    org.schema.removeObject(name);
  } catch (error) {
    throw new UnsupportedDeletion(`Cannot delete the custom object ${name}: ${(error as Error).message}`);
  }
}

function removeField(org: OrgState, objectName: string, fieldName: string): void {
  try {
    org.schema.removeField(objectName, fieldName);
  } catch (error) {
    throw new UnsupportedDeletion(
      `Cannot delete the custom field ${objectName}.${fieldName}: ${(error as Error).message}`,
    );
  }
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
  const context: DeployContext = {
    org,
    now,
    deployedObjects: new Set(),
    plannedMetadataTypes: new Map(),
    lwcProblems: new Map(),
    zipContents: new Map(),
  };
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
  context.components = groups;
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
  await prepareGroups(context, groups);
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
    const rank = (entry: PlannedComponent) =>
      entry.beforeAll ? 0 : entry.early ? 1 : 2 + (entry.after ?? 0);
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
  // A "No X named" warning is not a component; a component kept with a warning is one.
  const componentCount = messages.filter(
    (entry) => entry.problemType !== 'Warning' || componentWarnings.has(entry),
  ).length;
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
