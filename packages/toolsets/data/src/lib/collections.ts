/**
 * sObject Collections for the write tools: input limits, the review step, chunks of 200, and
 * per-record results. Each tool file declares its inputs and hands its plan to `writeRecords`.
 */
import type { Connection } from '@salesforce/core';
import {
  type OrgHandle,
  type ToolContext,
  LIMITS,
  ToolError,
  formatTable,
  takeWithinBudget,
  toolResult,
  z,
  salesforceError,
  COLLECTION_SIZE,
  type SaveResult,
  sendCollection,
  budgetAfter,
} from '@sfmcp/plugin-api';
import { changeRows, checkFound, fetchCurrent, previewTable } from './write-preview.js';
import {
  type FieldMap,
  type ObjectInfo,
  type WriteOperation,
  checkId,
  checkNoDuplicates,
  describeObject,
  externalIdFieldOf,
  id15,
  normalizeRecords,
  requireObjectAllows,
} from './write-validate.js';
import { HINTS } from './hints.js';

/**
 * Records per call when allOrNone is false (several requests, each on its own): 500 results keep text
 * and structured content near 50 KB together, well inside what clients accept in one answer.
 */
export const MAX_RECORDS = 500;
/** Changes to more records than this show their preview and wait for the user. */
export const CONFIRM_ABOVE = 5;

// ---- shared input and output schemas ----

export const sobjectInput = z
  .string()
  .max(LIMITS.name)
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an object API name such as Account or Invoice__c')
  .describe('Object API name, e.g. Account or Invoice__c');
export const recordsInput = (what: string) =>
  z
    .array(z.record(z.string().max(LIMITS.name), z.unknown()))
    .min(1)
    .max(MAX_RECORDS)
    .describe(what);
export const allOrNoneInput = z
  .boolean()
  .default(true)
  .describe('true: all or nothing (up to 200 records); false: each record alone');

const recordError = z.object({ statusCode: z.string(), message: z.string(), fields: z.array(z.string()) });
export const writeOutput = z.object({
  org: z.string(),
  sobject: z.string(),
  operation: z.enum(['create', 'update', 'upsert', 'delete']),
  allOrNone: z.boolean(),
  succeeded: z.number(),
  failed: z.number(),
  /** True when allOrNone rolled every record back. */
  nothingWritten: z.boolean(),
  results: z.array(
    z.object({
      index: z.number(),
      id: z.string().nullable(),
      success: z.boolean(),
      created: z.boolean().optional(),
      /** Present when the record failed. */
      errors: z.array(recordError).optional(),
    }),
  ),
});
export type WriteOutput = z.infer<typeof writeOutput>;
type RecordResult = WriteOutput['results'][number];

// ---- the plan each tool hands over ----

export type WritePlan =
  | { operation: 'create' | 'update'; records: FieldMap[] }
  | { operation: 'upsert'; records: FieldMap[]; externalIdField: string }
  | { operation: 'delete'; ids: string[] };

export interface WriteRequest {
  sobject: string;
  allOrNone: boolean;
}

const VERB: Record<WriteOperation, [string, string]> = {
  create: ['Create', 'Created'],
  update: ['Update', 'Updated'],
  upsert: ['Upsert', 'Upserted'],
  delete: ['Delete', 'Deleted'],
};

function plural(object: ObjectInfo | string, count: number): string {
  const name = typeof object === 'string' ? object : object.name;
  return `${count} ${name} record${count === 1 ? '' : 's'}`;
}

function checkCount(count: number, allOrNone: boolean): void {
  if (allOrNone && count > COLLECTION_SIZE) {
    throw new ToolError(
      `Refused: ${count} records with allOrNone: Salesforce can make at most ${COLLECTION_SIZE} records one all-or-nothing change. Nothing was changed.`,
      `Send at most ${COLLECTION_SIZE} records per call, or pass allOrNone: false to save each record on its own (failures are then reported per record).`,
    );
  }
  if (count > MAX_RECORDS) {
    throw new ToolError(
      `Refused: at most ${MAX_RECORDS} records per call. Nothing was changed.`,
      'Split the records into several calls.',
    );
  }
}

interface Prepared {
  object: ObjectInfo;
  records: FieldMap[];
  ids: string[];
  externalIdField?: string;
}

function prepare(object: ObjectInfo, plan: WritePlan): Prepared {
  requireObjectAllows(object, plan.operation);
  if (plan.operation === 'delete') {
    const ids = plan.ids.map((id, index) => checkId(object, id, `ids[${index}]`));
    checkNoDuplicates(ids, 'The id', id15);
    return { object, records: [], ids };
  }
  if (plan.operation === 'upsert') {
    const externalIdField = externalIdFieldOf(object, plan.externalIdField);
    const records = normalizeRecords(object, plan.records, 'upsert', externalIdField);
    const keys = records.map((record, index) => {
      const value = record[externalIdField];
      if (value === undefined || value === null || value === '') {
        throw new ToolError(
          `records[${index}] has no ${externalIdField}: upsert matches records on it. Nothing was changed.`,
        );
      }
      return externalIdField === 'Id' ? checkId(object, value, `records[${index}].Id`) : String(value);
    });
    checkNoDuplicates(
      keys,
      `${externalIdField}`,
      externalIdField === 'Id' ? id15 : (key) => key.toLowerCase(),
    );
    return { object, records, ids: [], externalIdField };
  }
  const records = normalizeRecords(object, plan.records, plan.operation);
  if (plan.operation === 'update') {
    const ids = records.map((record, index) => {
      if (record.Id === undefined) {
        throw new ToolError(
          `records[${index}] has no Id: update_records changes records by Id. Nothing was changed.`,
        );
      }
      const id = checkId(object, record.Id, `records[${index}].Id`);
      if (Object.keys(record).length === 1) {
        throw new ToolError(`records[${index}] (${id}) sets no field to change. Nothing was changed.`);
      }
      return id;
    });
    checkNoDuplicates(ids, 'The Id', id15);
    return { object, records, ids };
  }
  return { object, records, ids: [] };
}

/** What the user is asked to approve: a one-line summary and the affected records. */
async function preview(
  connection: Connection,
  org: OrgHandle,
  operation: WriteOperation,
  prepared: Prepared,
  allOrNone: boolean,
  budget: number,
): Promise<{ summary: string; details: string }> {
  const { object, records, ids, externalIdField } = prepared;
  const count = operation === 'delete' ? ids.length : records.length;
  const mode = allOrNone ? 'all or none' : 'each record on its own';
  const base = `${VERB[operation][0]} ${plural(object, count)} in ${org.label} — ${org.kind} org, ${mode}`;
  if (operation === 'create') return { summary: base, details: previewTable(records, budget) };
  if (operation === 'upsert') {
    const field = externalIdField as string;
    const keys = records.map((record) => String(record[field]));
    const fields = [...new Set(records.flatMap((record) => Object.keys(record)))];
    const current = await fetchCurrent(connection, object, field, keys, fields);
    const matched = new Set(
      current.map((row) => (field === 'Id' ? id15(String(row.Id)) : String(row[field]).toLowerCase())),
    );
    const updates = keys.filter((key) => matched.has(field === 'Id' ? id15(key) : key.toLowerCase())).length;
    return {
      summary: `${base}, matched on ${field}: ${updates} to update, ${count - updates} to create`,
      details: previewTable(changeRows(object, records, current, field), budget),
    };
  }
  const fields = operation === 'update' ? [...new Set(records.flatMap((record) => Object.keys(record)))] : [];
  const current = await fetchCurrent(connection, object, 'Id', ids, fields);
  const missing = checkFound(object, ids, current, allOrNone);
  const note = missing.length
    ? `\nNot found (will fail): ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ` and ${missing.length - 20} more` : ''}`
    : '';
  if (operation === 'delete') {
    const order = new Map(ids.map((id, index) => [id15(id), index]));
    const rows = [...current].sort(
      (a, b) => (order.get(id15(String(a.Id))) ?? 0) - (order.get(id15(String(b.Id))) ?? 0),
    );
    return { summary: base, details: previewTable(rows, budget) + note };
  }
  return { summary: base, details: previewTable(changeRows(object, records, current), budget) + note };
}

function toResult(index: number, saved: SaveResult | undefined, operation: WriteOperation): RecordResult {
  const errors = (saved?.errors ?? []).map((error) => ({
    statusCode: String(error.statusCode ?? 'UNKNOWN'),
    message: String(error.message ?? ''),
    fields: (error.fields ?? []).map(String),
  }));
  if (!saved) {
    errors.push({
      statusCode: 'NO_RESULT',
      message: 'Salesforce returned no result for this record',
      fields: [],
    });
  }
  const result: RecordResult = { index, id: saved?.id ?? null, success: saved?.success === true };
  if (operation === 'upsert' && typeof saved?.created === 'boolean') result.created = saved.created;
  if (errors.length) result.errors = errors;
  return result;
}

const ROLLED_BACK = 'ALL_OR_NONE_OPERATION_ROLLED_BACK';

function errorsCell(result: RecordResult): string {
  return (result.errors ?? [])
    .map((error) =>
      error.statusCode === ROLLED_BACK
        ? 'rolled back (another record failed)'
        : `${error.statusCode}: ${error.message}${error.fields.length ? ` [${error.fields.join(', ')}]` : ''}`,
    )
    .join('; ');
}

function successes(count: number): string {
  return `the ${count} success${count === 1 ? '' : 'es'}`;
}

function resultsText(results: readonly RecordResult[], operation: WriteOperation, budget: number): string {
  const rows = results.map((result) => ({
    index: result.index,
    Id: result.id ?? '',
    success: result.success,
    ...(operation === 'upsert' ? { created: result.created ?? '' } : {}),
    errors: errorsCell(result),
  }));
  const all = formatTable(rows);
  if (all.length <= budget) return all;
  // Too long for one answer: the failures first (within budget); every result stays in structuredContent.
  const failures = rows.filter((row) => !row.success);
  const where = 'every result, with its Id, is in structuredContent.results';
  if (failures.length === 0) {
    return `All ${rows.length} succeeded; the per-record table is too long for this answer: ${where}.`;
  }
  const page = takeWithinBudget(failures, (row) => JSON.stringify(row).length, budget);
  const hidden = failures.length - page.items.length;
  return [
    formatTable(page.items),
    `This table shows ${page.items.length} of ${failures.length} failures; ${successes(rows.length - failures.length)}${hidden ? ` and ${hidden} more failures` : ''} are left out (too long for this answer): ${where}.`,
  ].join('\n');
}

/**
 * The whole write: org (production guard), input checks, the review step when it is a delete or more
 * than CONFIRM_ABOVE records, then the collections requests, and the per-record result.
 */
export async function writeRecords(ctx: ToolContext, request: WriteRequest, plan: WritePlan) {
  const operation = plan.operation;
  const items: readonly (FieldMap | string)[] = plan.operation === 'delete' ? plan.ids : plan.records;
  checkCount(items.length, request.allOrNone);
  const org = await ctx.org();
  const { connection } = org;
  const object = await describeObject(request.sobject, org);
  const prepared = prepare(object, plan);
  const work: readonly (FieldMap | string)[] = operation === 'delete' ? prepared.ids : prepared.records;

  if (operation === 'delete' || work.length > CONFIRM_ABOVE) {
    // Half a result: the preview also travels in the elicitation message and the token's instructions.
    const half = Math.floor(budgetAfter(ctx) / 2);
    const shown = await preview(connection, org, operation, prepared, request.allOrNone, half);
    await ctx.confirm(shown);
  }

  const results: RecordResult[] = [];
  const chunks = Math.ceil(work.length / COLLECTION_SIZE);
  for (let chunk = 0; chunk < chunks; chunk++) {
    const start = chunk * COLLECTION_SIZE;
    const slice = work.slice(start, start + COLLECTION_SIZE);
    if (ctx.signal.aborted) {
      throw new ToolError(
        `Cancelled after ${start} of ${work.length} records: ${results.filter((r) => r.success).length} were ${VERB[operation][1].toLowerCase()}, the other ${work.length - start} were not sent.`,
      );
    }
    let saved: SaveResult[];
    try {
      saved = await sendCollection(connection, {
        operation,
        sobject: prepared.object.name,
        items: slice,
        allOrNone: request.allOrNone,
        ...(prepared.externalIdField ? { externalIdField: prepared.externalIdField } : {}),
      });
    } catch (error) {
      const done = results.filter((r) => r.success);
      throw salesforceError(error, {
        hints: HINTS,
        prefix: `Salesforce refused the ${operation} request for records ${start}–${start + slice.length - 1}`,
        hint:
          start === 0
            ? 'Nothing was changed.'
            : `Records before ${start} were sent earlier: ${done.length} succeeded (${done.map((r) => r.id).join(', ')}); records from ${start} on were not changed.`,
      });
    }
    slice.forEach((_, offset) => results.push(toResult(start + offset, saved[offset], operation)));
    if (chunks > 1)
      await ctx.progress(
        start + slice.length,
        work.length,
        `${start + slice.length} of ${work.length} records`,
      );
  }

  const succeeded = results.filter((result) => result.success).length;
  const failed = results.length - succeeded;
  const nothingWritten = request.allOrNone && failed > 0;
  const invalid = results.filter(
    (result) => !result.success && !(result.errors ?? []).every((error) => error.statusCode === ROLLED_BACK),
  ).length;
  const headline = nothingWritten
    ? `Nothing was written: ${invalid === 1 ? '1 record' : `${invalid} records`} failed and allOrNone rolled back all ${plural(object, results.length)}. Fix the failing records (or pass allOrNone: false to save the valid ones) and call again.`
    : failed === 0
      ? `${VERB[operation][1]} ${plural(object, succeeded)}.`
      : `${VERB[operation][1]} ${plural(object, succeeded)}; ${failed} failed (allOrNone: false, so the others were saved).`;
  const structured: WriteOutput = {
    org: org.username,
    sobject: object.name,
    operation,
    allOrNone: request.allOrNone,
    succeeded: nothingWritten ? 0 : succeeded,
    failed,
    nothingWritten,
    results,
  };
  const table = resultsText(results, operation, budgetAfter(ctx, headline));
  return toolResult({ text: `${headline}\n${table}`, structured, org });
}
