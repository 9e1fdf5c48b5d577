import {
  LIMITS,
  cursorArgument,
  defineTool,
  formatTable,
  formatTableRow,
  pageWithinBudget,
  toolResult,
  z,
  budgetAfter,
} from '@sfmcp/plugin-api';
import { apiNameSchema } from '../lib/args.js';
import type { DescribeField } from '../lib/describes.js';
import { describeOrSuggest } from '../lib/objects.js';
import { didYouMean } from '../lib/suggest.js';

const MAX_PICKLIST_VALUES = 12;

const fieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  required: z.boolean(),
  /** What a write may not do: `auto-number, read-only`, `formula, read-only`, `read-only`, `create only`, `update only`. */
  access: z.string().optional(),
  referenceTo: z.array(z.string()).optional(),
  relationshipName: z.string().optional(),
  picklistValues: z.array(z.string()).optional(),
  /** With verbose: the remaining attributes that matter when writing queries and records. */
  details: z.record(z.string(), z.unknown()).optional(),
});
type CompactField = z.infer<typeof fieldSchema>;

const output = z.object({
  name: z.string(),
  label: z.string(),
  labelPlural: z.string(),
  keyPrefix: z.string().nullable(),
  custom: z.boolean(),
  nameField: z.string().optional(),
  fieldCount: z.number().int(),
  matched: z.number().int(),
  offset: z.number().int(),
  fields: z.array(fieldSchema),
  childRelationships: z
    .array(z.object({ relationshipName: z.string(), childSObject: z.string(), field: z.string() }))
    .optional(),
  nextCursor: z.string().optional(),
});

function typeOf(field: DescribeField): string {
  switch (field.type) {
    case 'string':
    case 'textarea':
    case 'email':
    case 'phone':
    case 'url':
    case 'encryptedstring':
      return `${field.type}(${field.length})`;
    case 'double':
    case 'currency':
    case 'percent':
      return `${field.type}(${field.precision},${field.scale})`;
    default:
      return field.type;
  }
}

function isRequired(field: DescribeField): boolean {
  return !field.nillable && field.createable && !field.defaultedOnCreate && field.type !== 'boolean';
}

/** Why a create or update cannot set the field, or undefined when both can. */
function accessOf(field: DescribeField): string | undefined {
  if (field.createable && field.updateable) return undefined;
  if (!field.createable && !field.updateable) {
    const why = field.autoNumber ? 'auto-number' : field.calculated ? 'formula' : undefined;
    return why ? `${why}, read-only` : 'read-only';
  }
  return field.createable ? 'create only' : 'update only';
}

function compact(field: DescribeField, verbose: boolean): CompactField {
  const entry: CompactField = {
    name: field.name,
    label: field.label,
    type: typeOf(field),
    required: isRequired(field),
  };
  const access = accessOf(field);
  if (access) entry.access = access;
  if (field.referenceTo?.length) entry.referenceTo = field.referenceTo;
  if (field.relationshipName) entry.relationshipName = field.relationshipName;
  const values = (field.picklistValues ?? []).filter((value) => value.active).map((value) => value.value);
  if (values.length) entry.picklistValues = values;
  if (verbose) {
    const details: Record<string, unknown> = {};
    const flags = [
      'createable',
      'updateable',
      'nillable',
      'unique',
      'externalId',
      'calculated',
      'autoNumber',
      'filterable',
      'sortable',
      'groupable',
      'restrictedPicklist',
      'dependentPicklist',
      'cascadeDelete',
      'caseSensitive',
      'htmlFormatted',
      'idLookup',
      'nameField',
    ] as const;
    for (const flag of flags) if ((field as unknown as Record<string, unknown>)[flag]) details[flag] = true;
    for (const key of [
      'defaultValue',
      'defaultValueFormula',
      'calculatedFormula',
      'inlineHelpText',
      'controllerName',
    ] as const) {
      const value = (field as unknown as Record<string, unknown>)[key];
      if (value !== null && value !== undefined && value !== '') details[key] = value;
    }
    if (field.digits) details.digits = field.digits;
    if (Object.keys(details).length) entry.details = details;
  }
  return entry;
}

/** "Billing City" for BillingCity, "Owner ID" for OwnerId: a label that only spells the name out. */
function sameWords(label: string, name: string): boolean {
  const normalize = (text: string) =>
    text
      .toLowerCase()
      .replace(/__c$/, '')
      .replace(/[^a-z0-9]/g, '');
  return normalize(label) === normalize(name);
}

function row(field: CompactField): Record<string, unknown> {
  const values = field.picklistValues ?? [];
  const shown = values.slice(0, MAX_PICKLIST_VALUES).join(', ');
  return {
    name: field.name,
    label: sameWords(field.label, field.name) ? '' : field.label,
    type: field.type,
    req: field.required ? 'Y' : '',
    access: field.access ?? '',
    ref: field.referenceTo
      ? `${field.referenceTo.join('/')}${field.relationshipName ? ` (${field.relationshipName})` : ''}`
      : '',
    values:
      values.length > MAX_PICKLIST_VALUES ? `${shown}, +${values.length - MAX_PICKLIST_VALUES} more` : shown,
    ...(field.details ? { details: field.details } : {}),
  };
}

export const describeObjectTool = defineTool({
  name: 'describe_object',
  title: 'Describe an object',
  description:
    'Describes an object: its fields (name, label, type, required, reference target, picklist values), compact. Filter fields by names, types or a keyword; verbose adds the other attributes.',
  input: z.object({
    objectName: apiNameSchema.describe('Object API name, e.g. Account or Invoice__c.'),
    fieldNames: z
      .array(z.string().max(LIMITS.name))
      .max(LIMITS.items)
      .optional()
      .describe('Only these fields (API names).'),
    fieldTypes: z
      .array(z.string().max(LIMITS.name))
      .max(100)
      .optional()
      .describe('Only fields of these types, e.g. reference, picklist.'),
    search: z
      .string()
      .max(LIMITS.name)
      .optional()
      .describe('Only fields whose name, label or help text contains this.'),
    verbose: z.boolean().optional().describe('All attributes of the fields shown (longer).'),
    includeChildRelationships: z.boolean().optional().describe('List child relationships too.'),
    useToolingApi: z.boolean().optional().describe('Describe a Tooling API object.'),
    cursor: cursorArgument,
  }),
  output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const tooling = input.useToolingApi ?? false;
    const describe = await describeOrSuggest(org, input.objectName, { tooling });
    const verbose = input.verbose ?? false;
    const wantedNames = input.fieldNames?.map((name) => name.toLowerCase());
    const wantedTypes = input.fieldTypes?.map((type) => type.toLowerCase());
    const keyword = input.search?.toLowerCase();
    const matched = describe.fields.filter((field) => {
      if (wantedNames && !wantedNames.includes(field.name.toLowerCase())) return false;
      if (wantedTypes && !wantedTypes.includes(field.type.toLowerCase())) return false;
      if (keyword) {
        const text = `${field.name} ${field.label} ${field.inlineHelpText ?? ''}`.toLowerCase();
        if (!text.includes(keyword)) return false;
      }
      return true;
    });
    const notes: string[] = [];
    if (wantedNames) {
      const known = new Set(describe.fields.map((field) => field.name.toLowerCase()));
      for (const name of input.fieldNames ?? []) {
        if (!known.has(name.toLowerCase()))
          notes.push(
            `No field ${name}.${didYouMean(
              name,
              describe.fields.map((field) => field.name),
            )}`,
          );
      }
    }

    const children = describe.childRelationships
      .filter((child) => child.relationshipName)
      .map((child) => ({
        relationshipName: child.relationshipName as string,
        childSObject: child.childSObject,
        field: child.field,
      }));
    const childrenLine = input.includeChildRelationships
      ? `Child relationships (${children.length}): ${children
          .map((child) => `${child.relationshipName} (${child.childSObject}.${child.field})`)
          .join(', ')}`
      : children.length
        ? `${children.length} child relationships (includeChildRelationships lists them).`
        : '';
    const fields = matched.map((field) => compact(field, verbose));
    const columns = [
      'name',
      'label',
      'type',
      'req',
      'access',
      'ref',
      'values',
      ...(verbose ? ['details'] : []),
    ];
    const page = pageWithinBudget(ctx, fields, {
      cursor: input.cursor,
      binding: {
        org: org.username,
        listing: { object: describe.name, tooling, verbose, wantedNames, wantedTypes, keyword },
      },
      sizeOf: (field) =>
        Buffer.byteLength(formatTableRow(row(field), columns)) + JSON.stringify(field).length,
      // The child relationships go in the text (and, when asked, in the structured content) too.
      budget: budgetAfter(ctx, childrenLine, input.includeChildRelationships ? JSON.stringify(children) : ''),
    });
    const { offset, nextCursor } = page;
    const shownFields = page.items;
    const nameField = describe.fields.find((field) => field.nameField)?.name;
    const abilities = (['queryable', 'createable', 'updateable', 'deletable'] as const).filter(
      (key) => describe[key],
    );
    const filtered = matched.length !== describe.fields.length;
    const lines = [
      `${describe.name} (${describe.label} / ${describe.labelPlural}) · keyPrefix ${describe.keyPrefix ?? '-'}${
        nameField ? ` · name field ${nameField}` : ''
      } · ${abilities.join(', ')}`,
      `${describe.fields.length} fields${filtered ? `, ${matched.length} match` : ''}${
        shownFields.length < matched.length ? ` · ${offset + 1}–${offset + shownFields.length} shown` : ''
      } · req = required on create · access = what a write cannot set (read-only fields: leave them out)`,
      ...notes,
    ];
    if (shownFields.length) lines.push(formatTable(shownFields.map(row), columns));
    if (childrenLine) lines.push(childrenLine);
    if (nextCursor) lines.push(`More fields: call again with cursor: "${nextCursor}"`);
    return toolResult({
      text: lines.join('\n'),
      structured: {
        name: describe.name,
        label: describe.label,
        labelPlural: describe.labelPlural,
        keyPrefix: describe.keyPrefix ?? null,
        custom: describe.custom,
        ...(nameField ? { nameField } : {}),
        fieldCount: describe.fields.length,
        matched: matched.length,
        offset,
        fields: shownFields,
        ...(input.includeChildRelationships ? { childRelationships: children } : {}),
        ...(nextCursor ? { nextCursor } : {}),
      },
      org,
    });
  },
});
