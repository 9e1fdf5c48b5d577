import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import {
  type DxProject,
  type OrgHandle,
  type ToolContext,
  ToolError,
  z,
  toToolError,
  escapeXml,
} from '@sfmcp/plugin-api';
import { DEFAULT_WAIT_MINUTES } from './args.js';
import { deployOutput, finishDeploy } from './deploy.js';
import { HINTS } from './hints.js';

export const FIELD_TYPES = [
  'Text',
  'LongTextArea',
  'Number',
  'Currency',
  'Percent',
  'Checkbox',
  'Date',
  'DateTime',
  'Email',
  'Phone',
  'Url',
  'Picklist',
  'MultiselectPicklist',
  'Lookup',
  'MasterDetail',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const customName = z
  .string()
  .max(255)
  .regex(
    /^[A-Za-z](?!.*__.*__c$)[A-Za-z0-9_]{0,39}__c$/,
    'an API name like Invoice_Total__c: a letter, then letters, digits, single underscores, ending in __c',
  )
  .refine(
    (name) => !/__(?!c$)|_$|_{3}/.test(name.replace(/__c$/, '')) && !name.replace(/__c$/, '').endsWith('_'),
    'no double underscores or trailing underscore before __c',
  );

export const fieldSpec = z.object({
  label: z.string().min(1).max(40).describe('Field label.'),
  apiName: customName.optional().describe('API name ending in __c (default: from the label).'),
  type: z.enum(FIELD_TYPES).describe('Field type.'),
  length: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Text: 1-255 (255); LongTextArea: 256-131072 (32768).'),
  precision: z.number().int().min(1).max(18).optional().describe('Number/Currency/Percent digits (18/16/5).'),
  scale: z.number().int().min(0).max(17).optional().describe('Decimal places (0/2/2).'),
  picklistValues: z
    .array(z.string().min(1).max(255))
    .max(1000)
    .optional()
    .describe('Picklist values, first listed first.'),
  defaultPicklistValue: z.string().max(255).optional(),
  referenceTo: z
    .string()
    .max(255)
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
    .optional()
    .describe('Lookup/MasterDetail target object.'),
  relationshipName: z
    .string()
    .max(255)
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
    .optional()
    .describe('Child relationship name (default: from the label).'),
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
  externalId: z.boolean().optional(),
  defaultChecked: z.boolean().optional().describe('Checkbox default.'),
  description: z.string().max(1000).optional(),
  helpText: z.string().max(510).optional(),
});
export type FieldSpec = z.infer<typeof fieldSpec>;

export const writeOutput = z.object({
  objectName: z.string(),
  files: z.array(z.string()),
  /** The deploy's outcome (the text has its per-component table). */
  deployed: deployOutput
    .pick({ jobId: true, done: true, status: true, success: true, counts: true })
    .optional(),
});

/** "Invoice Total" → "Invoice_Total__c". */
export function apiNameFromLabel(label: string): string {
  const base = label
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/_+/g, '_');
  const start = /^[A-Za-z]/.test(base) ? base : `X${base}`;
  return `${start.slice(0, 40).replace(/_+$/, '')}__c`;
}

const HEADER = '<?xml version="1.0" encoding="UTF-8"?>';
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const el = (indent: string, name: string, value: string | number | boolean) =>
  `${indent}<${name}>${escapeXml(String(value))}</${name}>`;

/** Checks a field spec as Salesforce would, filling in the defaults an admin gets in Setup. */
export function normalizeField(spec: FieldSpec): FieldSpec & { apiName: string } {
  const apiName = spec.apiName ?? apiNameFromLabel(spec.label);
  const where = `Field ${apiName} (${spec.type})`;
  const fail = (problem: string): never => {
    throw new ToolError(`${where}: ${problem} Nothing was written.`);
  };
  if (!customName.safeParse(apiName).success)
    fail(`the API name is not valid: use letters, digits and single underscores, ending in __c.`);
  const out = { ...spec, apiName };
  switch (spec.type) {
    case 'Text':
      out.length = spec.length ?? 255;
      if (out.length > 255) fail('a Text field holds at most 255 characters; use LongTextArea for more.');
      break;
    case 'LongTextArea':
      out.length = spec.length ?? 32768;
      if (out.length < 256 || out.length > 131072) fail('a LongTextArea length is 256 to 131072.');
      if (spec.required || spec.unique || spec.externalId)
        fail('a LongTextArea cannot be required, unique or an external id.');
      break;
    case 'Number':
    case 'Currency':
    case 'Percent': {
      out.precision = spec.precision ?? (spec.type === 'Number' ? 18 : spec.type === 'Currency' ? 16 : 5);
      out.scale = spec.scale ?? (spec.type === 'Number' ? 0 : 2);
      if (out.scale > out.precision) fail(`scale (${out.scale}) cannot exceed precision (${out.precision}).`);
      break;
    }
    case 'Checkbox':
      if (spec.required) fail('a Checkbox cannot be required (it is always true or false).');
      break;
    case 'Picklist':
    case 'MultiselectPicklist': {
      const values = spec.picklistValues ?? [];
      if (!values.length) fail('picklistValues are required.');
      const seen = new Set<string>();
      for (const value of values) {
        if (seen.has(value.toLowerCase())) fail(`the picklist value "${value}" is listed twice.`);
        seen.add(value.toLowerCase());
      }
      if (spec.defaultPicklistValue && !values.includes(spec.defaultPicklistValue))
        fail(`the default "${spec.defaultPicklistValue}" is not one of the values.`);
      break;
    }
    case 'Lookup':
    case 'MasterDetail':
      if (!spec.referenceTo) fail('referenceTo (the target object) is required.');
      out.relationshipName = spec.relationshipName ?? apiName.replace(/__c$/, '').replace(/_+/g, '_') + 's';
      if (spec.type === 'MasterDetail' && spec.required === false)
        fail('a MasterDetail field is always required.');
      break;
    default:
      break;
  }
  if (spec.type !== 'Picklist' && spec.type !== 'MultiselectPicklist' && spec.picklistValues?.length)
    fail('picklistValues only apply to Picklist and MultiselectPicklist.');
  if (spec.type !== 'Lookup' && spec.type !== 'MasterDetail' && spec.referenceTo)
    fail('referenceTo only applies to Lookup and MasterDetail.');
  if ((spec.unique || spec.externalId) && !['Text', 'Number', 'Email'].includes(spec.type))
    fail('only Text, Number and Email fields can be unique or an external id.');
  return out;
}

/** The field in source format (objects/<Object>/fields/<Field>.field-meta.xml). */
export function fieldXml(spec: FieldSpec & { apiName: string }, objectLabel?: string): string {
  const i = '    ';
  const lines = [HEADER, `<CustomField ${NS}>`, el(i, 'fullName', spec.apiName)];
  if (spec.type === 'Checkbox') lines.push(el(i, 'defaultValue', spec.defaultChecked ?? false));
  if (spec.type === 'Lookup') lines.push(el(i, 'deleteConstraint', spec.required ? 'Restrict' : 'SetNull'));
  if (spec.description) lines.push(el(i, 'description', spec.description));
  if (['Text', 'Number', 'Email'].includes(spec.type))
    lines.push(el(i, 'externalId', spec.externalId ?? false));
  if (spec.helpText) lines.push(el(i, 'inlineHelpText', spec.helpText));
  lines.push(el(i, 'label', spec.label));
  if (spec.length !== undefined && (spec.type === 'Text' || spec.type === 'LongTextArea'))
    lines.push(el(i, 'length', spec.length));
  if (spec.precision !== undefined) lines.push(el(i, 'precision', spec.precision));
  if (spec.type === 'Lookup' || spec.type === 'MasterDetail') {
    lines.push(el(i, 'referenceTo', spec.referenceTo ?? ''));
    lines.push(el(i, 'relationshipLabel', objectLabel ? `${objectLabel}s` : spec.label));
    lines.push(el(i, 'relationshipName', spec.relationshipName ?? ''));
  }
  if (spec.type === 'MasterDetail')
    lines.push(el(i, 'relationshipOrder', 0), el(i, 'reparentableMasterDetail', false));
  if (spec.type !== 'MasterDetail' && spec.type !== 'Checkbox')
    lines.push(el(i, 'required', spec.required ?? false));
  if (spec.scale !== undefined) lines.push(el(i, 'scale', spec.scale));
  lines.push(el(i, 'trackTrending', false));
  lines.push(el(i, 'type', spec.type));
  if (spec.unique !== undefined && ['Text', 'Number', 'Email'].includes(spec.type))
    lines.push(el(i, 'unique', spec.unique));
  if (spec.type === 'Picklist' || spec.type === 'MultiselectPicklist') {
    lines.push(
      `${i}<valueSet>`,
      `${i}${i}<restricted>true</restricted>`,
      `${i}${i}<valueSetDefinition>`,
      `${i}${i}${i}<sorted>false</sorted>`,
    );
    for (const value of spec.picklistValues ?? []) {
      lines.push(
        `${i}${i}${i}<value>`,
        el(`${i}${i}${i}${i}`, 'fullName', value),
        el(`${i}${i}${i}${i}`, 'default', value === spec.defaultPicklistValue),
        el(`${i}${i}${i}${i}`, 'label', value),
        `${i}${i}${i}</value>`,
      );
    }
    lines.push(`${i}${i}</valueSetDefinition>`, `${i}</valueSet>`);
  }
  if (spec.type === 'LongTextArea') lines.push(el(i, 'visibleLines', 3));
  if (spec.type === 'MultiselectPicklist') lines.push(el(i, 'visibleLines', 4));
  if (spec.type === 'MasterDetail') lines.push(el(i, 'writeRequiresMasterRead', false));
  lines.push('</CustomField>', '');
  return lines.join('\n');
}

export interface ObjectSpec {
  label: string;
  pluralLabel: string;
  apiName: string;
  description?: string | undefined;
  nameFieldLabel: string;
  nameFieldType: 'Text' | 'AutoNumber';
  displayFormat?: string | undefined;
  controlledByParent: boolean;
}

export function objectXml(spec: ObjectSpec): string {
  const i = '    ';
  const lines = [HEADER, `<CustomObject ${NS}>`, el(i, 'deploymentStatus', 'Deployed')];
  if (spec.description) lines.push(el(i, 'description', spec.description));
  lines.push(
    el(i, 'enableActivities', false),
    el(i, 'enableFeeds', false),
    el(i, 'enableHistory', false),
    el(i, 'enableReports', true),
    el(i, 'enableSearch', true),
    el(i, 'label', spec.label),
    `${i}<nameField>`,
  );
  if (spec.nameFieldType === 'AutoNumber')
    lines.push(
      el(`${i}${i}`, 'displayFormat', spec.displayFormat ?? `${spec.label.slice(0, 3).toUpperCase()}-{0000}`),
    );
  lines.push(
    el(`${i}${i}`, 'label', spec.nameFieldLabel),
    el(`${i}${i}`, 'type', spec.nameFieldType),
    `${i}</nameField>`,
  );
  lines.push(
    el(i, 'pluralLabel', spec.pluralLabel),
    el(i, 'sharingModel', spec.controlledByParent ? 'ControlledByParent' : 'ReadWrite'),
  );
  lines.push('</CustomObject>', '');
  return lines.join('\n');
}

/** The folder that holds objects in the default package directory (an existing one, else main/default/objects). */
export function objectsFolder(project: DxProject): string {
  const base = project.packageDirectories[0] ?? project.root;
  const preferred = join(base, 'main', 'default', 'objects');
  if (existsSync(preferred)) return preferred;
  const walk = (dir: string, depth: number): string | undefined => {
    if (depth > 3 || !existsSync(dir)) return undefined;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (!statSync(path).isDirectory()) continue;
      if (name === 'objects') return path;
      const found = walk(path, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return walk(base, 0) ?? preferred;
}

/**
 * Writes files into the project all or nothing: they are written to a temporary folder first, checked there by
 * source-deploy-retrieve (each must resolve as the expected metadata type), then written in through the project's
 * write API (no symlinks, no overwriting); on any failure the files already written are removed again.
 */
export async function writeSourceFiles(
  project: DxProject,
  files: { path: string; content: string; expect: { type: string; fullName: string } }[],
): Promise<string[]> {
  for (const file of files) {
    // lstat: a dangling symlink is there too (the write API refuses links; this names the usual case first).
    if (lstatSync(file.path, { throwIfNoEntry: false })) {
      throw new ToolError(
        `Refused: ${relative(project.root, file.path)} already exists. Nothing was written.`,
        'Pick another API name, or edit the existing file.',
        { kind: 'refused' },
      );
    }
  }
  const staging = await mkdtemp(join(tmpdir(), 'sfmcp-metadata-'));
  const written: string[] = [];
  try {
    const base = project.packageDirectories[0] ?? project.root;
    const staged = files.map((file) => ({ ...file, staged: join(staging, relative(base, file.path)) }));
    for (const file of staged) {
      await mkdir(dirname(file.staged), { recursive: true });
      await writeFile(file.staged, file.content);
    }
    const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
    let resolved;
    try {
      resolved = ComponentSet.fromSource(staged.map((file) => file.staged))
        .getSourceComponents()
        .toArray();
    } catch (error) {
      throw toToolError(error, { hints: HINTS, wrapOthers: true });
    }
    for (const file of staged) {
      const match = resolved.find(
        (component) =>
          component.type.name === file.expect.type && component.fullName === file.expect.fullName,
      );
      if (!match) {
        throw new ToolError(
          `Internal check failed: ${relative(staging, file.staged)} does not read back as ${file.expect.type} ${file.expect.fullName}. Nothing was written.`,
        );
      }
    }
    for (const file of files) written.push(await project.writeFile(file.path, file.content));
    return written.map((path) => relative(project.root, path));
  } catch (error) {
    for (const path of written) await project.removeFile(path).catch(() => undefined);
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Deploys the files just written (deploy: true) and reports it as deploy_metadata does. */
export async function deployWritten(
  ctx: ToolContext,
  org: OrgHandle,
  project: DxProject,
  paths: string[],
  wait?: number,
) {
  const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
  const components = ComponentSet.fromSource(paths.map((path) => join(project.root, path)));
  components.projectDirectory = project.root;
  let operation;
  try {
    operation = await components.deploy({ usernameOrConnection: org.connection });
  } catch (error) {
    throw toToolError(error, { hints: HINTS, wrapOthers: true });
  }
  const result = await finishDeploy(
    ctx,
    org,
    project,
    { operation, components },
    operation.id ?? '',
    wait ?? DEFAULT_WAIT_MINUTES,
  );
  const full = result.structured;
  return {
    text: result.text,
    structured: full && {
      jobId: full.jobId,
      done: full.done,
      status: full.status,
      success: full.success,
      counts: full.counts,
    },
  };
}
