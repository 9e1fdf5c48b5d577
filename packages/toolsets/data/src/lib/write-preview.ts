import type { Connection } from '@salesforce/core';
import { ToolError, formatTable, soqlString, takeWithinBudget, salesforceError } from '@sfmcp/plugin-api';
import { type FieldMap, type ObjectInfo, id15, nameFieldOf } from './write-validate.js';
import { HINTS } from './hints.js';

const QUERY_CHUNK = 200;

/** Current values of `fields` for the records whose `matchField` is one of `values` (Id or an external id). */
export async function fetchCurrent(
  connection: Connection,
  object: ObjectInfo,
  matchField: string,
  values: readonly string[],
  fields: readonly string[],
): Promise<Record<string, unknown>[]> {
  const known = new Set(object.fields.map((field) => field.name));
  const select = [...new Set(['Id', nameFieldOf(object), matchField, ...fields])].filter(
    (name): name is string => Boolean(name) && known.has(name as string),
  );
  const rows: Record<string, unknown>[] = [];
  for (let start = 0; start < values.length; start += QUERY_CHUNK) {
    const chunk = values.slice(start, start + QUERY_CHUNK);
    const type = object.fields.find((field) => field.name === matchField)?.type ?? 'string';
    const numeric = ['int', 'double', 'currency', 'percent', 'long'].includes(type);
    const literal = (value: string) => (numeric && /^-?\d+(\.\d+)?$/.test(value) ? value : soqlString(value));
    const soql = `SELECT ${select.join(', ')} FROM ${object.name} WHERE ${matchField} IN (${chunk.map(literal).join(', ')})`;
    try {
      let result = await connection.query<Record<string, unknown>>(soql);
      rows.push(...result.records);
      while (!result.done && result.nextRecordsUrl) {
        result = await connection.queryMore<Record<string, unknown>>(result.nextRecordsUrl);
        rows.push(...result.records);
      }
    } catch (error) {
      throw salesforceError(error, {
        hints: HINTS,
        prefix: `Could not read the current ${object.name} records for the preview`,
        hint: 'Nothing was changed.',
      });
    }
  }
  return rows.map(({ attributes: _attributes, ...row }) => row);
}

/** The records of `ids` that were not found; refused when every record must succeed. */
export function checkFound(
  object: ObjectInfo,
  ids: readonly string[],
  rows: readonly Record<string, unknown>[],
  allOrNone: boolean,
): string[] {
  const found = new Set(rows.map((row) => id15(String(row.Id))));
  const missing = ids.filter((id) => !found.has(id15(id)));
  if (missing.length && allOrNone) {
    throw new ToolError(
      `No ${object.name} record has the id ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ''} (deleted, or never existed). Nothing was changed.`,
      'Leave those ids out, or pass allOrNone: false to change the records that exist.',
    );
  }
  return missing;
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '∅';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** "old → new" per changed field, for each record to update. */
export function changeRows(
  object: ObjectInfo,
  records: readonly FieldMap[],
  current: readonly Record<string, unknown>[],
  matchField = 'Id',
): Record<string, unknown>[] {
  const nameField = nameFieldOf(object);
  const key = (value: unknown) => (matchField === 'Id' ? id15(String(value)) : String(value).toLowerCase());
  const byKey = new Map(current.map((row) => [key(row[matchField]), row]));
  return records.map((record) => {
    const before = byKey.get(key(record[matchField]));
    const row: Record<string, unknown> = {};
    if (matchField !== 'Id') row[matchField] = record[matchField];
    row.Id = before?.Id ?? '(new)';
    if (nameField && nameField !== matchField) row[nameField] = before?.[nameField] ?? '';
    for (const [field, value] of Object.entries(record)) {
      if (field === 'Id' || field === matchField) continue;
      row[field] = before ? `${show(before[field])} → ${show(value)}` : show(value);
    }
    return row;
  });
}

/** A table cut to `budget` bytes, saying how many rows it leaves out. */
export function previewTable(rows: readonly Record<string, unknown>[], budget: number): string {
  const page = takeWithinBudget(rows, (row) => JSON.stringify(row).length, budget);
  const table = formatTable(page.items);
  const left = rows.length - page.items.length;
  return left > 0 ? `${table}\n… and ${left} more record${left === 1 ? '' : 's'} not shown here` : table;
}
