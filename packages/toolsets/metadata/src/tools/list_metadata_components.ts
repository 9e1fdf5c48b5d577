import {
  LIMITS,
  ToolError,
  cursorArgument,
  defineTool,
  formatTable,
  pageWithinBudget,
  toolResult,
  z,
  salesforceCall,
} from '@sfmcp/plugin-api';

import { HINTS } from '../lib/hints.js';

const componentRow = z.object({
  type: z.string(),
  fullName: z.string(),
  lastModifiedDate: z.string().optional(),
  lastModifiedByName: z.string().optional(),
  namespacePrefix: z.string().optional(),
  manageableState: z.string().optional(),
});
type Row = z.infer<typeof componentRow>;

export const listMetadataComponents = defineTool({
  name: 'list_metadata_components',
  title: 'List metadata components',
  description:
    'Lists the components of up to 3 metadata types in an org (listMetadata), e.g. ApexClass, CustomObject, Report with a folder. Filter by name text or modification date. Long lists continue with a cursor.',
  input: z.object({
    types: z
      .array(
        z
          .string()
          .max(LIMITS.name)
          .regex(/^[A-Za-z][A-Za-z0-9]*$/, 'a metadata type name, e.g. ApexClass'),
      )
      .min(1)
      .max(3)
      .describe('Metadata types, e.g. ["ApexClass"].'),
    folder: z
      .string()
      .max(LIMITS.name)
      .optional()
      .describe('Folder, for Report, Dashboard, Document and EmailTemplate.'),
    nameContains: z
      .string()
      .max(LIMITS.name)
      .optional()
      .describe('Case-insensitive text the name must contain.'),
    modifiedSince: z.string().max(64).optional().describe('ISO date: only components changed since.'),
    cursor: cursorArgument,
  }),
  output: z.object({
    total: z.number().int(),
    components: z.array(componentRow),
    nextCursor: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const since = input.modifiedSince ? Date.parse(input.modifiedSince) : undefined;
    if (since !== undefined && Number.isNaN(since))
      throw new ToolError(
        `modifiedSince ${JSON.stringify(input.modifiedSince)} is not a date (use e.g. 2026-11-01).`,
      );
    const org = await ctx.org();
    const queries = input.types.map((type) => ({ type, ...(input.folder ? { folder: input.folder } : {}) }));
    const listed = [
      await salesforceCall(() => org.connection.metadata.list(queries, org.connection.getApiVersion()), {
        hints: HINTS,
        wrapOthers: true,
      }),
    ].flat();
    const text = input.nameContains?.toLowerCase();
    const rows: Row[] = listed
      .filter((entry) => entry && (!text || String(entry.fullName).toLowerCase().includes(text)))
      .filter((entry) => since === undefined || Date.parse(String(entry.lastModifiedDate)) >= since)
      .map((entry) => ({
        type: String(entry.type),
        fullName: String(entry.fullName),
        ...(entry.lastModifiedDate ? { lastModifiedDate: String(entry.lastModifiedDate) } : {}),
        ...(entry.lastModifiedByName ? { lastModifiedByName: String(entry.lastModifiedByName) } : {}),
        ...(entry.namespacePrefix ? { namespacePrefix: String(entry.namespacePrefix) } : {}),
        ...(entry.manageableState ? { manageableState: String(entry.manageableState) } : {}),
      }))
      .sort((a, b) => a.type.localeCompare(b.type) || a.fullName.localeCompare(b.fullName));
    const page = pageWithinBudget(ctx, rows, {
      cursor: input.cursor,
      binding: {
        org: org.username,
        listing: { types: input.types, folder: input.folder, text, since },
      },
      // Text row and structured entry carry the same fields: about twice the JSON.
      sizeOf: (row) => 2 * JSON.stringify(row).length,
    });
    const { offset, nextCursor } = page;
    const lines = [
      `${rows.length} components of ${input.types.join(', ')}${text ? ` containing "${input.nameContains}"` : ''}${offset ? `; from #${offset + 1}` : ''}.`,
      formatTable(page.items, [
        'type',
        'fullName',
        'lastModifiedDate',
        'lastModifiedByName',
        'manageableState',
      ]),
    ];
    if (nextCursor) lines.push(`More: call again with cursor "${nextCursor}".`);
    return toolResult({
      text: lines.join('\n'),
      structured: { total: rows.length, components: page.items, ...(nextCursor ? { nextCursor } : {}) },
      org,
    });
  },
});
