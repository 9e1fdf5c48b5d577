import { LIMITS, defineTool, formatTable, toolResult, z, salesforceCall } from '@sfmcp/plugin-api';

import { HINTS } from '../lib/hints.js';

const typeRow = z.object({
  xmlName: z.string(),
  directoryName: z.string().optional(),
  suffix: z.string().optional(),
  inFolder: z.boolean(),
  childXmlNames: z.array(z.string()),
});

export const listMetadataTypes = defineTool({
  name: 'list_metadata_types',
  title: 'List metadata types',
  description:
    'Lists the metadata types an org supports (describeMetadata), optionally filtered by a case-insensitive text in the type name.',
  input: z.object({
    filter: z.string().max(LIMITS.name).optional().describe('Text the type name must contain, e.g. "Apex".'),
  }),
  output: z.object({ total: z.number().int(), types: z.array(typeRow) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const described = await salesforceCall(
      () => org.connection.metadata.describe(org.connection.getApiVersion()),
      { hints: HINTS, wrapOthers: true },
    );
    const filter = input.filter?.toLowerCase();
    const all = [described.metadataObjects ?? []].flat();
    const types = all
      .filter(
        (type) =>
          !filter ||
          type.xmlName.toLowerCase().includes(filter) ||
          [type.childXmlNames ?? []].flat().some((child) => String(child).toLowerCase().includes(filter)),
      )
      .map((type) => ({
        xmlName: type.xmlName,
        ...(type.directoryName ? { directoryName: type.directoryName } : {}),
        ...(type.suffix ? { suffix: type.suffix } : {}),
        inFolder: String(type.inFolder) === 'true',
        childXmlNames: [type.childXmlNames ?? []].flat().map(String),
      }))
      .sort((a, b) => a.xmlName.localeCompare(b.xmlName));
    const table = formatTable(
      types.map((type) => ({
        type: type.xmlName,
        folder: type.directoryName,
        suffix: type.suffix,
        inFolder: type.inFolder || undefined,
        children: type.childXmlNames.join(',') || undefined,
      })),
      ['type', 'folder', 'suffix', 'inFolder', 'children'],
    );
    return toolResult({
      text: `${types.length} of ${all.length} metadata types${filter ? ` matching "${input.filter}"` : ''}.\n${table}`,
      structured: { total: all.length, types },
      org,
    });
  },
});
