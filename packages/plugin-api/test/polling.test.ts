import { describe, expect, it } from 'vitest';
import { ToolError, pollUntilDone } from '../src/index.js';

const ctx = (signal = new AbortController().signal) => ({ signal });

describe('pollUntilDone', () => {
  it('checks once at once: done, or not done when there is no wait left', async () => {
    let checks = 0;
    expect(
      await pollUntilDone({
        ctx: ctx(),
        waitMs: 60_000,
        check: async () => ({ done: ++checks > 0, status: checks }),
      }),
    ).toEqual({ done: true, status: 1 });
    expect(
      await pollUntilDone({ ctx: ctx(), waitMs: 0, check: async () => ({ done: false, status: ++checks }) }),
    ).toEqual({ done: false, status: 2 });
    expect(checks).toBe(2);
  });

  it('keeps checking until the job is done', async () => {
    let checks = 0;
    const outcome = await pollUntilDone({
      ctx: ctx(),
      waitMs: 60_000,
      check: async () => ({ done: ++checks === 3, status: `check ${checks}` }),
    });
    expect(outcome).toEqual({ done: true, status: 'check 3' });
  });

  it('stops with a ToolError when the call is cancelled while it waits', async () => {
    const controller = new AbortController();
    const polling = pollUntilDone({
      ctx: ctx(controller.signal),
      waitMs: 60_000,
      check: async () => {
        queueMicrotask(() => controller.abort());
        return { done: false, status: undefined };
      },
    });
    await expect(polling).rejects.toBeInstanceOf(ToolError);
    await expect(polling).rejects.toThrow('Cancelled by the client.');
  });

  it('with onCancel: continue, checks again at once after a cancel until the job stops', async () => {
    const controller = new AbortController();
    const seen: boolean[] = [];
    const outcome = await pollUntilDone({
      ctx: ctx(controller.signal),
      waitMs: 60_000,
      onCancel: 'continue',
      check: async () => {
        seen.push(controller.signal.aborted);
        if (seen.length === 1) controller.abort();
        return { done: seen.length === 3, status: seen.length };
      },
    });
    expect(outcome).toEqual({ done: true, status: 3 });
    expect(seen).toEqual([false, true, true]);
  });
});
