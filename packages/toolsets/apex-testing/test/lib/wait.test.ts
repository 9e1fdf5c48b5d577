import { ToolError } from '@sfmcp/plugin-api';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../src/lib/wait.js';

describe('pollUntil', () => {
  it('checks once at once: done, or not done with no wait left', async () => {
    let checks = 0;
    const signal = new AbortController().signal;
    expect(await pollUntil(async () => ++checks > 0, { waitMs: 60_000, signal })).toBe(true);
    expect(await pollUntil(async () => (++checks, false), { waitMs: 0, signal })).toBe(false);
    expect(checks).toBe(2);
  });

  it('stops with a ToolError when the signal aborts while it waits', async () => {
    const controller = new AbortController();
    const polling = pollUntil(
      async () => {
        queueMicrotask(() => controller.abort());
        return false;
      },
      { waitMs: 60_000, signal: controller.signal },
    );
    await expect(polling).rejects.toBeInstanceOf(ToolError);
    await expect(polling).rejects.toThrow('Cancelled by the client.');
  });
});
