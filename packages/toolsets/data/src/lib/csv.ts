/** One CSV cell, RFC 4180: quoted when it holds a comma, quote, CR or LF (quotes doubled). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (without its CRLF). */
export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(',');
}
