import { LIMITS, defineTool, z } from '@sfmcp/plugin-api';
import { allOrNoneInput, recordsInput, sobjectInput, writeOutput, writeRecords } from '../lib/collections.js';

export const upsertRecords = defineTool({
  name: 'upsert_records',
  title: 'Upsert records by external id',
  description:
    'Creates or updates records of one object matched on an external id field (sObject Collections), with per-record results (created or updated). allOrNone (default): if any fails, nothing is saved. Over 5 records: the user approves a preview first.',
  input: z.object({
    sobject: sobjectInput,
    externalIdField: z
      .string()
      .max(LIMITS.name)
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a field API name')
      .describe('External id field to match on, e.g. External_Id__c'),
    records: recordsInput('Field maps, each with its externalIdField value'),
    allOrNone: allOrNoneInput,
  }),
  output: writeOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler({ sobject, externalIdField, records, allOrNone }, ctx) {
    return writeRecords(ctx, { sobject, allOrNone }, { operation: 'upsert', records, externalIdField });
  },
});
