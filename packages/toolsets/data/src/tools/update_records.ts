import { defineTool, z } from '@sfmcp/plugin-api';
import { allOrNoneInput, recordsInput, sobjectInput, writeOutput, writeRecords } from '../lib/collections.js';

export const updateRecords = defineTool({
  name: 'update_records',
  title: 'Update records',
  description:
    'Changes fields of existing records of one object by Id (sObject Collections), with per-record results. allOrNone (default): if any fails, nothing is saved. Over 5 records: the user approves a preview of old → new values first.',
  input: z.object({
    sobject: sobjectInput,
    records: recordsInput('Each with Id and the fields to change, e.g. [{"Id":"001...","Phone":"555-0100"}]'),
    allOrNone: allOrNoneInput,
  }),
  output: writeOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler({ sobject, records, allOrNone }, ctx) {
    return writeRecords(ctx, { sobject, allOrNone }, { operation: 'update', records });
  },
});
