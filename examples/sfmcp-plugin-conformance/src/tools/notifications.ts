import { z } from '@sfmcp/plugin-api';
import { fixtureTool } from './define.js';

// Tools that talk to the client while they run: log messages, progress, and a response stream ended mid-call.

const noArguments = z.object({});
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export const testToolWithLogging = fixtureTool({
  name: 'test_tool_with_logging',
  title: 'Logging',
  description: 'Sends three info log messages to the client, 50 ms apart.',
  input: noArguments,
  handler: async (_input, ctx) => {
    await ctx.logToClient('info', 'Tool execution started');
    await pause(50, ctx.signal);
    await ctx.logToClient('info', 'Tool processing data');
    await pause(50, ctx.signal);
    await ctx.logToClient('info', 'Tool execution completed');
    return { text: 'Tool with logging executed successfully' };
  },
});

export const testToolWithProgress = fixtureTool({
  name: 'test_tool_with_progress',
  title: 'Progress',
  description: 'Reports progress 0, 50 and 100 of 100, 50 ms apart.',
  input: noArguments,
  handler: async (_input, ctx) => {
    for (const done of [0, 50, 100]) {
      if (done) await pause(50, ctx.signal);
      await ctx.progress(done, 100, `Completed step ${done} of 100`);
    }
    return { text: 'Progress reported: 0, 50, 100 of 100.' };
  },
});

export const testReconnection = fixtureTool({
  name: 'test_reconnection',
  title: 'Stream closed mid-call',
  description:
    'Ends its response stream mid-call and answers after the client reconnects with Last-Event-ID (SSE polling).',
  input: noArguments,
  handler: async (_input, ctx) => {
    const closed = ctx.closeResponseStream();
    // The result comes after the stream closed: the client gets it on its reconnected stream.
    await pause(100, ctx.signal);
    return {
      text: closed
        ? 'Reconnection test completed: the response stream was closed mid-call and this result followed on the resumed stream.'
        : 'Reconnection test completed without closing the stream: this transport cannot resume one.',
    };
  },
});
