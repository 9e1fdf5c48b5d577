// The polling loop on its own: progress while a deploy runs, cancellation that cancels the deploy in the org,
// and the wait running out. The "org" here is a scripted status sequence, since the local org finishes a deploy
// on its first status check and so never shows these states.
import type { MetadataApiDeploy } from '@salesforce/source-deploy-retrieve';
import type { ToolContext } from '@sfmcp/plugin-api';
import { describe, expect, it } from 'vitest';
import { waitForDeploy } from '../../src/lib/deploy.js';

function context(controller = new AbortController()) {
  const progress: string[] = [];
  const ctx = {
    signal: controller.signal,
    cleanup: <T>(work: () => Promise<T>) => work(),
    progress: async (_done: number, _total?: number, message?: string) => void progress.push(String(message)),
  } as unknown as ToolContext;
  return { ctx, progress, controller };
}

function scriptedDeploy(onCheck: (count: number, canceled: boolean) => Record<string, unknown>) {
  let checks = 0;
  let canceled = false;
  const operation = {
    cancel: async () => {
      canceled = true;
    },
    checkStatus: async () => onCheck(++checks, canceled),
  };
  return { operation: operation as unknown as MetadataApiDeploy, state: () => ({ checks, canceled }) };
}

describe('waitForDeploy', () => {
  it('reports progress while the deploy runs, then returns the finished status', async () => {
    const { ctx, progress } = context();
    const { operation } = scriptedDeploy((count) =>
      count < 3
        ? {
            done: false,
            status: 'InProgress',
            numberComponentsDeployed: count * 5,
            numberComponentsTotal: 20,
          }
        : { done: true, status: 'Succeeded', success: true },
    );
    const outcome = await waitForDeploy(ctx, operation, '0Af000000000001AAA', 1);
    expect(outcome).toMatchObject({ done: true, status: { status: 'Succeeded' } });
    expect(progress).toEqual([
      'Deploy 0Af000000000001AAA: InProgress',
      'Deploy 0Af000000000001AAA: InProgress',
    ]);
  });

  it('cancels the deploy in the org when the call is cancelled, and waits for it to stop', async () => {
    const { ctx, controller } = context();
    const { operation, state } = scriptedDeploy((count, canceled) => {
      if (count === 2) controller.abort();
      if (canceled) return { done: true, status: 'Canceled', success: false };
      return { done: false, status: 'InProgress' };
    });
    const outcome = await waitForDeploy(ctx, operation, '0Af000000000001AAA', 1);
    expect(state().canceled).toBe(true);
    expect(outcome).toMatchObject({ done: true, status: { status: 'Canceled' } });
  });

  it('hands back the job when its wait runs out, and asks nothing with wait 0', async () => {
    const { ctx } = context();
    const never = scriptedDeploy(() => ({ done: false, status: 'InProgress' }));
    const outcome = await waitForDeploy(ctx, never.operation, '0Af000000000001AAA', 0.005);
    expect(outcome.done).toBe(false);
    expect(never.state().checks).toBeGreaterThan(1);
    const untouched = scriptedDeploy(() => ({ done: true, status: 'Succeeded' }));
    expect(await waitForDeploy(ctx, untouched.operation, '0Af000000000001AAA', 0)).toEqual({ done: false });
    expect(untouched.state().checks).toBe(0);
  });
});
