import {
  LIMITS,
  ToolError,
  defineTool,
  toolResult,
  z,
  toToolError,
  isSalesforceError,
} from '@sfmcp/plugin-api';
import { apiNameSchema, recordIdSchema } from '../lib/args.js';
import { objectForId } from '../lib/describes.js';
import { fetchBatch } from '../lib/query-pages.js';
import { flattenRecord, tableRow } from '../lib/records.js';
import { parseSoql, queryError } from '../lib/soql.js';
import { HINTS } from '../lib/hints.js';

const output = z.object({
  objectName: z.string(),
  id: z.string(),
  record: z.record(z.string(), z.unknown()),
});

function cell(value: unknown): string {
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/\r?\n/g, '\\n');
}

export const getRecord = defineTool({
  name: 'get_record',
  title: 'Get a record',
  description:
    'Gets one record by Id: the fields named (parent fields such as Owner.Name allowed) or all of them. The object is found from the Id when not given.',
  input: z.object({
    recordId: recordIdSchema.describe('The record Id (15 or 18 characters).'),
    objectName: apiNameSchema.optional().describe('Object API name; found from the Id when omitted.'),
    fields: z
      .array(
        z
          .string()
          .max(LIMITS.name * 4)
          .regex(/^[A-Za-z][A-Za-z0-9_.]*$/, 'a field API name or path'),
      )
      .max(LIMITS.items)
      .optional()
      .describe('Fields to return; omit for all.'),
  }),
  output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const objectName = input.objectName ?? (await objectForId(org, input.recordId));
    if (!objectName) {
      throw new ToolError(
        `No object in ${org.label} has the key prefix ${input.recordId.slice(0, 3)} of ${input.recordId}.`,
        'Check the Id, or pass objectName.',
      );
    }
    let raw: Record<string, unknown> | undefined;
    if (input.fields?.length) {
      const query = `SELECT ${[...new Set(input.fields)].join(', ')} FROM ${objectName} WHERE Id = '${input.recordId}'`;
      const parsed = await parseSoql(query);
      try {
        raw = (await fetchBatch(org, { query })).records[0];
      } catch (error) {
        throw await queryError(org, error, parsed);
      }
    } else {
      try {
        raw = (await org.connection.sobject(objectName).retrieve(input.recordId)) as unknown as Record<
          string,
          unknown
        >;
      } catch (error) {
        if (!(isSalesforceError(error) && error.errorCode === 'NOT_FOUND'))
          throw toToolError(error, { hints: HINTS });
      }
    }
    if (!raw) {
      throw new ToolError(
        `NOT_FOUND: no ${objectName} with Id ${input.recordId} in ${org.label}.`,
        'Check the Id (deleted records are not returned).',
      );
    }
    const record = flattenRecord(raw);
    const id = typeof record.Id === 'string' ? record.Id : input.recordId;
    const filled = Object.entries(tableRow(record)).filter(
      ([, value]) => value !== null && value !== undefined && value !== '',
    );
    const empty = Object.entries(record)
      .filter(([, value]) => value === null || value === undefined || value === '')
      .map(([key]) => key);
    const lines = [`${objectName} ${id}`, ...filled.map(([key, value]) => `${key}: ${cell(value)}`)];
    if (empty.length) lines.push(`Empty: ${empty.join(', ')}`);
    return toolResult({ text: lines.join('\n'), structured: { objectName, id, record }, org });
  },
});
