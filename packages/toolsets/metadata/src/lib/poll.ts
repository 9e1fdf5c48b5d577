import { setTimeout as sleep } from 'node:timers/promises';
import { type ToolContext, ToolError } from '@sfmcp/plugin-api';

export type PollOutcome<Status> = { done: true; status: Status } | { done: false; status?: Status };

/** Delays between status checks: quick at first (small deploys finish in a second or two), then every 2 s. */
const DELAYS_MS = [100, 200, 400, 800, 1500];
const MAX_DELAY_MS = 2000;

/**
 * Checks right away, then on a short, growing interval until `check` says done or `waitMinutes` pass.
 * Cancellation: the check sees ctx.signal (deploys cancel themselves there); the loop stops once the job is done.
 */
export async function pollUntilDone<Status>(options: {
  ctx: Pick<ToolContext, 'signal'>;
  waitMinutes: number;
  check: () => Promise<{ done: boolean; status: Status }>;
  /** Stop at once on cancellation (retrieves: nothing to undo in the org). */
  stopOnAbort?: boolean;
}): Promise<PollOutcome<Status>> {
  const deadline = Date.now() + options.waitMinutes * 60_000;
  let attempt = 0;
  let last: Status | undefined;
  // wait 0: hand the job id back at once, without asking the org.
  if (options.waitMinutes === 0) return { done: false };
  for (;;) {
    if (options.stopOnAbort && options.ctx.signal.aborted) throw new ToolError('Cancelled.');
    const { done, status } = await options.check();
    last = status;
    if (done) return { done: true, status };
    if (Date.now() >= deadline) return { done: false, status: last };
    const delay = DELAYS_MS[attempt] ?? MAX_DELAY_MS;
    attempt++;
    try {
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())) || delay, undefined, {
        signal: options.ctx.signal.aborted ? undefined : options.ctx.signal,
      });
    } catch {
      // aborted while sleeping: check again at once (deploys ask the org to cancel)
    }
  }
}
