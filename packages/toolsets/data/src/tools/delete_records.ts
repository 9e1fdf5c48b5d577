import { LIMITS, defineTool, z } from '@sfmcp/plugin-api';
import { MAX_RECORDS, allOrNoneInput, sobjectInput, writeOutput, writeRecords } from '../lib/collections.js';

export const deleteRecords = defineTool({
  name: 'delete_records',
  title: 'Delete records',
  description:
    'Deletes records of one object by id (sObject Collections), with per-record results; they go to the recycle bin. Always shows the user the records first and waits for approval. allOrNone (default): if any fails, nothing is deleted.',
  input: z.object({
    sobject: sobjectInput,
    ids: z.array(z.string().max(LIMITS.id)).min(1).max(MAX_RECORDS).describe('Record ids, all of sobject'),
    allOrNone: allOrNoneInput,
  }),
  output: writeOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler({ sobject, ids, allOrNone }, ctx) {
    return writeRecords(ctx, { sobject, allOrNone }, { operation: 'delete', ids });
  },
});
