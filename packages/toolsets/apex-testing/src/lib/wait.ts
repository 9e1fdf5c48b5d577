import { ToolError } from '@sfmcp/plugin-api';

/** Long-running work is polled after 1 s, then less and less often, up to every 10 s. */
const FIRST_POLL_MS = 1000;
const MAX_POLL_MS = 10_000;

/** Resolves after `ms`, or rejects as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(cancelled());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function cancelled(): ToolError {
  return new ToolError('Cancelled by the client.');
}

/**
 * Polls `check` until it says done, the wait runs out (false) or the signal aborts (throws). The first
 * check runs at once, so a finished operation never waits; the pause between checks grows from 1 s to 10 s.
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  options: { waitMs: number; signal: AbortSignal },
): Promise<boolean> {
  const deadline = Date.now() + options.waitMs;
  let interval = FIRST_POLL_MS;
  for (;;) {
    if (options.signal.aborted) throw cancelled();
    if (await check()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await sleep(Math.min(interval, left), options.signal);
    interval = Math.min(MAX_POLL_MS, interval * 1.5);
  }
}

/** Line numbers as compact ranges: [1,2,3,5] → "1-3, 5". */
export function lineRanges(lines: readonly number[]): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let index = 0; index < sorted.length; index++) {
    const start = sorted[index] as number;
    let end = start;
    while (sorted[index + 1] === end + 1) {
      end += 1;
      index += 1;
    }
    parts.push(start === end ? String(start) : `${start}-${end}`);
  }
  return parts.join(', ');
}
