import { setTimeout as sleep } from 'node:timers/promises';
import type { ToolContext } from './context.js';
import { ToolError } from './errors.js';

export type PollOutcome<Status> = { done: true; status: Status } | { done: false; status?: Status };

export interface PollOptions<Status> {
  ctx: Pick<ToolContext, 'signal'>;
  /** How long to wait for the job, in milliseconds; the first check runs at once, whatever the wait. */
  waitMs: number;
  /** One status check of the job. */
  check: () => Promise<{ done: boolean; status: Status }>;
  /**
   * What cancellation does: `stop` (default) ends the wait at once with "Cancelled"; `continue` keeps
   * checking, without pausing, for a check that cancels the job in the org and then sees it stop.
   */
  onCancel?: 'stop' | 'continue';
}

/** The pause before the first re-check, growing by half each time up to the longest. */
export const FIRST_POLL_MS = 250;
export const MAX_POLL_MS = 10_000;

export function cancelled(): ToolError {
  return new ToolError('Cancelled by the client.', undefined, { kind: 'failed', code: 'CANCELLED' });
}

/**
 * Polls a long-running job (a deploy, a retrieve, a test run): checks at once, then after pauses that grow
 * from FIRST_POLL_MS to MAX_POLL_MS, until the check says done or the wait runs out (the job then goes back
 * to the model to resume). The one poller every toolset uses.
 */
export async function pollUntilDone<Status>(options: PollOptions<Status>): Promise<PollOutcome<Status>> {
  const { signal } = options.ctx;
  const deadline = Date.now() + options.waitMs;
  const stopOnCancel = (options.onCancel ?? 'stop') === 'stop';
  let pause = FIRST_POLL_MS;
  let last: Status | undefined;
  for (;;) {
    if (stopOnCancel && signal.aborted) throw cancelled();
    const { done, status } = await options.check();
    last = status;
    if (done) return { done: true, status };
    const left = deadline - Date.now();
    if (left <= 0) return { done: false, status: last };
    if (signal.aborted) continue; // onCancel: continue — the check is winding the job down
    try {
      await sleep(Math.min(pause, left), undefined, { signal });
    } catch {
      // cancelled while pausing: stop, or check again at once
    }
    pause = Math.min(MAX_POLL_MS, Math.round(pause * 1.5));
  }
}
