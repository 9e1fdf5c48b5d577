import { defineTool, z } from '@sfmcp/plugin-api';
import { allOrNoneInput, recordsInput, sobjectInput, writeOutput, writeRecords } from '../lib/collections.js';

export const createRecords = defineTool({
  name: 'create_records',
  title: 'Create records',
  description:
    'Creates records of one object (sObject Collections) with per-record results. allOrNone (default): if any record fails, nothing is saved. Over 5 records: the user approves a preview first.',
  input: z.object({
    sobject: sobjectInput,
    records: recordsInput('Field maps, e.g. [{"LastName":"Lee","AccountId":"001..."}]; no Id'),
    allOrNone: allOrNoneInput,
  }),
  output: writeOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  // More than a handful of new records is previewed and confirmed.
  confirms: true,
  release: 'ga',
  needsOrg: true,
  async handler({ sobject, records, allOrNone }, ctx) {
    return writeRecords(ctx, { sobject, allOrNone }, { operation: 'create', records });
  },
});
