import { ToolError } from '@sfmcp/plugin-api';

/** How often long-running work is polled. */
export const POLL_INTERVAL_MS = 2000;

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
 * check runs at once, so a finished operation never waits.
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  options: { waitMs: number; signal: AbortSignal; intervalMs?: number },
): Promise<boolean> {
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    if (options.signal.aborted) throw cancelled();
    if (await check()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await sleep(Math.min(options.intervalMs ?? POLL_INTERVAL_MS, left), options.signal);
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
