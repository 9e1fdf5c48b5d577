/** A record as the tools show it: `attributes` dropped, parent fields as `Owner.Name`, child lists flattened too. */
export type FlatRecord = Record<string, unknown>;

interface ChildResult {
  totalSize?: number;
  done?: boolean;
  records: Record<string, unknown>[];
}

function isChildResult(value: unknown): value is ChildResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { records?: unknown }).records) &&
    'done' in value
  );
}

/**
 * Flattens a record from the REST API: drops `attributes`, turns parent relationships into dotted
 * columns (`Account.Owner.Name`) and child subqueries into arrays of flattened records.
 */
export function flattenRecord(
  record: Record<string, unknown>,
  prefix = '',
  into: FlatRecord = {},
): FlatRecord {
  for (const key in record) {
    if (key === 'attributes') continue;
    const value = record[key];
    const name = prefix ? prefix + key : key;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      into[name] = value;
    } else if (isChildResult(value)) {
      into[name] = value.records.map((child) => flattenRecord(child));
    } else if ('attributes' in value) {
      flattenRecord(value as Record<string, unknown>, `${name}.`, into);
    } else {
      // Compound fields (addresses, geolocations) stay one cell.
      into[name] = value;
    }
  }
  return into;
}

/**
 * Column order: the query's own columns first (matched case-insensitively to the names the org
 * returned, a parent column standing for its dotted children), then any other column seen.
 */
export function orderColumns(rows: readonly FlatRecord[], queryColumns: readonly string[] = []): string[] {
  const seen: string[] = [];
  const seenSet = new Set<string>();
  for (const row of rows)
    for (const key of Object.keys(row))
      if (!seenSet.has(key)) {
        seenSet.add(key);
        seen.push(key);
      }
  const columns: string[] = [];
  const used = new Set<string>();
  const add = (column: string) => {
    if (!used.has(column)) {
      used.add(column);
      columns.push(column);
    }
  };
  for (const wanted of queryColumns) {
    const lower = wanted.toLowerCase();
    const exact = seen.find((key) => key.toLowerCase() === lower);
    const nested = seen.filter((key) => key.toLowerCase().startsWith(`${lower}.`));
    if (exact) add(exact);
    for (const key of nested) add(key);
    if (!exact && nested.length === 0) add(wanted);
  }
  // A parent that came back null ("Owner": null) is covered by its dotted columns.
  for (const key of seen) {
    if (columns.some((column) => column.toLowerCase().startsWith(`${key.toLowerCase()}.`))) continue;
    add(key);
  }
  return columns.filter(
    (column) => !columns.some((other) => other.toLowerCase().startsWith(`${column.toLowerCase()}.`)),
  );
}

/** A row with exactly these columns (missing ones null). */
export function alignRow(row: FlatRecord, columns: readonly string[]): FlatRecord {
  const aligned: FlatRecord = {};
  for (const column of columns) aligned[column] = row[column] ?? null;
  return aligned;
}

function summarizeChild(child: FlatRecord): string {
  return Object.values(child)
    .filter((value) => value !== null && value !== undefined && !Array.isArray(value))
    .map((value) => (typeof value === 'object' ? JSON.stringify(value) : String(value)))
    .join(' ');
}

/** A child list as one table cell: "(2) Johnson; Rossi", at most three shown. */
export function childCell(children: readonly FlatRecord[]): string {
  if (children.length === 0) return '(0)';
  const shown = children.slice(0, 3).map(summarizeChild).join('; ');
  return `(${children.length}) ${shown}${children.length > 3 ? '; …' : ''}`;
}

/** A flat record ready for formatTable: child lists summarized into one cell. */
export function tableRow(row: FlatRecord): FlatRecord {
  const out: FlatRecord = {};
  for (const [key, value] of Object.entries(row))
    out[key] = Array.isArray(value) ? childCell(value as FlatRecord[]) : value;
  return out;
}

const NEEDS_ESCAPE = /[\\|\n]/;

/** One table cell exactly as plugin-api's formatTable writes it, without regex work for plain values. */
function tableCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return tableCell(childCell(value as FlatRecord[]));
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '\\n');
}

/** Table lines for these rows (child lists summarized), one string per row, as formatTable writes them. */
export function tableLines(rows: readonly FlatRecord[], columns: readonly string[]): string[] {
  return rows.map((row) => columns.map((column) => tableCell(row[column])).join(' | '));
}

/** The header and separator lines of a table with these columns. */
export function tableHeader(columns: readonly string[]): string {
  return `${columns.join(' | ')}\n${columns.map(() => '---').join(' | ')}`;
}
