/** Debug log helpers: keep what a reader wants (USER_DEBUG and exceptions), within a size cap. */

const EVENT_LINE = /^\d{2}:\d{2}:\d{2}\.\d+ \(\d+\)\|([A-Z_]+)/;
const KEPT_EVENTS = new Set(['USER_DEBUG', 'EXCEPTION_THROWN', 'FATAL_ERROR']);

export type LogFilter = 'debug' | 'all';

/**
 * With `debug`: only USER_DEBUG, EXCEPTION_THROWN and FATAL_ERROR events, each with its continuation
 * lines (a multi-line debug message), plus the header line. With `all`: the log as it is.
 */
export function filterLog(log: string, filter: LogFilter): string {
  if (filter === 'all') return log;
  const lines = log.split(/\r?\n/);
  const kept: string[] = [];
  let keeping = false;
  lines.forEach((line, index) => {
    const event = EVENT_LINE.exec(line);
    if (event) keeping = KEPT_EVENTS.has(event[1] ?? '');
    else if (index === 0) keeping = true;
    if (keeping) kept.push(line);
    if (index === 0) keeping = false;
  });
  return kept.join('\n');
}

export interface LogSlice {
  text: string;
  /** Bytes of the (filtered) log. */
  totalBytes: number;
  /** Byte offset to continue from, when the slice was cut. */
  nextOffset?: number;
}

/** Takes up to maxBytes from a byte offset, cutting at a line end where it can. */
export function sliceLog(text: string, offset: number, maxBytes: number): LogSlice {
  const bytes = Buffer.from(text, 'utf8');
  if (offset >= bytes.length) return { text: '', totalBytes: bytes.length };
  let end = Math.min(bytes.length, offset + maxBytes);
  if (end < bytes.length) {
    const lineEnd = bytes.lastIndexOf(0x0a, end - 1);
    if (lineEnd > offset) end = lineEnd + 1;
  }
  // Do not split a UTF-8 character.
  while (end < bytes.length && end > offset && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return {
    text: bytes.subarray(offset, end).toString('utf8'),
    totalBytes: bytes.length,
    ...(end < bytes.length ? { nextOffset: end } : {}),
  };
}
