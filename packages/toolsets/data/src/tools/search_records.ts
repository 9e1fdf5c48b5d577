import {
  LIMITS,
  ToolError,
  defineTool,
  formatTable,
  formatTableRow,
  takeWithinBudget,
  toolResult,
  z,
  budgetAfter,
} from '@sfmcp/plugin-api';

import { describeOrSuggest } from '../lib/objects.js';
import { type FlatRecord, flattenRecord, orderColumns, tableRow } from '../lib/records.js';
import { queryError } from '../lib/soql.js';

const SEARCH_GROUPS = {
  ALL: 'ALL FIELDS',
  NAME: 'NAME FIELDS',
  EMAIL: 'EMAIL FIELDS',
  PHONE: 'PHONE FIELDS',
} as const;

const output = z.object({
  sosl: z.string(),
  total: z.number().int(),
  groups: z.array(z.object({ objectName: z.string(), records: z.array(z.record(z.string(), z.unknown())) })),
  /** Rows found but left out of the text because of the response budget. */
  notShown: z.number().int(),
});

/** Escapes SOSL's reserved characters in a search term, keeping the * and ? wildcards. */
export function escapeSoslTerm(term: string): string {
  return term.replace(/[&|!{}[\]()^~:\\"'+-]/g, (char) => `\\${char}`);
}

export const searchRecords = defineTool({
  name: 'search_records',
  title: 'Search records (SOSL)',
  description:
    'Full-text search across objects with SOSL: give searchTerm (wildcards * and ?) and optionally the objects and fields to return, or a raw sosl statement.',
  input: z.object({
    searchTerm: z
      .string()
      .min(2)
      .max(LIMITS.text)
      .optional()
      .describe('Words to find; * and ? are wildcards.'),
    objects: z
      .array(
        z.object({
          name: z.string().max(LIMITS.name).describe('Object API name.'),
          fields: z
            .array(z.string().max(LIMITS.name))
            .max(LIMITS.items)
            .optional()
            .describe('Fields to return (default Id and the name field).'),
          where: z.string().max(LIMITS.query).optional().describe('SOQL condition on this object.'),
        }),
      )
      .max(100)
      .optional()
      .describe('Objects to search (default: all searchable).'),
    searchIn: z
      .enum(['ALL', 'NAME', 'EMAIL', 'PHONE'])
      .optional()
      .describe('Field group to search (default ALL).'),
    sosl: z.string().max(LIMITS.query).optional().describe('A full SOSL statement, instead of searchTerm.'),
    limit: z.number().int().min(1).max(200).optional().describe('Most records in all (default 50).'),
  }),
  output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    if (!input.sosl === !input.searchTerm) {
      throw new ToolError(
        'Give either searchTerm or sosl (not both).',
        'searchTerm builds the SOSL for you.',
      );
    }
    const org = await ctx.org();
    let sosl = input.sosl?.trim() ?? '';
    if (!sosl) {
      const returning: string[] = [];
      for (const object of input.objects ?? []) {
        const describe = await describeOrSuggest(org, object.name);
        const nameField = describe.fields.find((field) => field.nameField)?.name;
        const fields = object.fields?.length
          ? object.fields
          : ['Id', ...(nameField && nameField !== 'Id' ? [nameField] : [])];
        returning.push(
          `${describe.name}(${fields.join(', ')}${object.where ? ` WHERE ${object.where}` : ''})`,
        );
      }
      sosl = `FIND {${escapeSoslTerm(input.searchTerm ?? '')}} IN ${SEARCH_GROUPS[input.searchIn ?? 'ALL']}${
        returning.length ? ` RETURNING ${returning.join(', ')}` : ''
      } LIMIT ${input.limit ?? 50}`;
    }
    let found: Record<string, unknown>[];
    try {
      const result = await org.connection.search(sosl);
      found = (result.searchRecords ?? []) as unknown as Record<string, unknown>[];
    } catch (error) {
      throw await queryError(org, error, undefined);
    }

    const byObject = new Map<string, FlatRecord[]>();
    for (const record of found) {
      const type = (record.attributes as { type?: string } | undefined)?.type ?? '?';
      const list = byObject.get(type) ?? [];
      list.push(flattenRecord(record));
      byObject.set(type, list);
    }
    const groups = [...byObject].map(([objectName, records]) => ({ objectName, records }));
    const lines = [`${found.length} record${found.length === 1 ? '' : 's'} found · ${sosl}`];
    let budget = budgetAfter(ctx, lines[0]!);
    let notShown = 0;
    const shownGroups: typeof groups = [];
    for (const group of groups) {
      const columns = orderColumns(group.records);
      const rows = group.records.map(tableRow);
      const page = takeWithinBudget(
        rows,
        (row) => Buffer.byteLength(formatTableRow(row, columns)),
        Math.max(0, budget),
      );
      const count = budget > 0 ? page.items.length : 0;
      notShown += rows.length - count;
      if (count === 0) continue;
      const table = formatTable(page.items.slice(0, count), columns);
      budget -= Buffer.byteLength(table) + 40;
      lines.push(`${group.objectName} (${group.records.length})`, table);
      shownGroups.push({ objectName: group.objectName, records: group.records.slice(0, count) });
    }
    if (notShown)
      lines.push(
        `${notShown} more not shown (response budget): narrow the search, fewer fields or a lower limit.`,
      );
    return toolResult({
      text: lines.join('\n'),
      structured: { sosl, total: found.length, groups: shownGroups, notShown },
      org,
    });
  },
});
