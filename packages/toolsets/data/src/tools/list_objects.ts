import {
  LIMITS,
  cursorArgument,
  defineTool,
  formatTable,
  formatTableRow,
  pageWithinBudget,
  toolResult,
  z,
} from '@sfmcp/plugin-api';

import { describeGlobal } from '../lib/describes.js';

const output = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  objects: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      custom: z.boolean(),
      keyPrefix: z.string().nullable(),
    }),
  ),
  nextCursor: z.string().optional(),
});

export const listObjects = defineTool({
  name: 'list_objects',
  title: 'List objects',
  description:
    'Finds the org\'s objects by API name or label (case-insensitive words), e.g. "invoice" or "opportunity line". Returns name, label, custom and key prefix.',
  input: z.object({
    search: z
      .string()
      .max(LIMITS.name)
      .optional()
      .describe('Words to find in the name or label; omit for all.'),
    customOnly: z.boolean().optional().describe('Only custom objects (__c, __mdt, ...).'),
    queryableOnly: z.boolean().optional().describe('Only objects SOQL can query (default true).'),
    useToolingApi: z.boolean().optional().describe('List Tooling API objects.'),
    limit: z.number().int().min(1).max(500).optional().describe('At most this many (default 200, max 500).'),
    cursor: cursorArgument,
  }),
  output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const global = await describeGlobal(org, { tooling: input.useToolingApi ?? false });
    const words = (input.search ?? '')
      .toLowerCase()
      .split(/[\s_]+/)
      .filter(Boolean);
    const matches = global.sobjects.filter((sobject) => {
      if (input.customOnly && !sobject.custom) return false;
      if ((input.queryableOnly ?? true) && !sobject.queryable) return false;
      const haystack = `${sobject.name} ${sobject.label} ${sobject.labelPlural}`
        .toLowerCase()
        .replace(/_/g, ' ');
      const compact = haystack.replace(/\s+/g, '');
      return words.every((word) => haystack.includes(word) || compact.includes(word));
    });
    const limit = input.limit ?? 200;
    const columns = ['name', 'label', 'custom', 'keyPrefix'];
    const rows = matches.map((sobject) => ({
      name: sobject.name,
      label: sobject.label,
      custom: sobject.custom,
      keyPrefix: sobject.keyPrefix ?? null,
    }));
    const page = pageWithinBudget(ctx, rows, {
      cursor: input.cursor,
      binding: {
        org: org.username,
        listing: {
          words,
          customOnly: input.customOnly ?? false,
          queryableOnly: input.queryableOnly ?? true,
          tooling: input.useToolingApi ?? false,
        },
      },
      sizeOf: (entry) => formatTableRow(entry, columns).length + JSON.stringify(entry).length,
      limit,
    });
    const { offset, nextCursor, items: objects } = page;
    const end = offset + objects.length;
    const lines = [
      `${matches.length} object${matches.length === 1 ? '' : 's'}${input.search ? ` matching "${input.search}"` : ''}${
        matches.length > objects.length ? ` · ${offset + 1}–${end} shown` : ''
      }`,
    ];
    if (objects.length) lines.push(formatTable(objects, columns));
    if (nextCursor) lines.push(`More: call again with cursor: "${nextCursor}"`);
    return toolResult({
      text: lines.join('\n'),
      structured: { total: matches.length, offset, objects, ...(nextCursor ? { nextCursor } : {}) },
      org,
    });
  },
});
