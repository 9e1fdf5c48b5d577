import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { SessionEventStore } from '../src/transports/event-store.js';

const note = (n: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/message',
  params: { n },
});

async function replay(store: SessionEventStore, after: string) {
  const sent: [string, JSONRPCMessage][] = [];
  const stream = await store.replayEventsAfter(after, {
    send: async (id, message) => {
      sent.push([id, message]);
    },
  });
  return { stream, sent };
}

describe('the SSE event store', () => {
  it('replays what a stream sent after the last event the client saw, and nothing of other streams', async () => {
    const store = new SessionEventStore();
    const priming = await store.storeEvent('a', {} as JSONRPCMessage);
    const first = await store.storeEvent('a', note(1));
    await store.storeEvent('b', note(99));
    const second = await store.storeEvent('a', note(2));
    expect(await store.getStreamIdForEventId(first)).toBe('a');
    // The priming event marks the start; it carries nothing to deliver.
    expect(await replay(store, priming)).toEqual({
      stream: 'a',
      sent: [
        [first, note(1)],
        [second, note(2)],
      ],
    });
    expect((await replay(store, first)).sent).toEqual([[second, note(2)]]);
    expect(await store.getStreamIdForEventId('12_nope')).toBeUndefined();
    expect(await store.getStreamIdForEventId('garbage')).toBeUndefined();
  });

  it('keeps a bounded number of events per stream, and refuses a resume that would skip dropped ones', async () => {
    const store = new SessionEventStore({ eventsPerStream: 3, streams: 10, bytes: 1_000_000 });
    const ids = [];
    for (let n = 0; n < 5; n++) ids.push(await store.storeEvent('a', note(n)));
    expect(store.size.events).toBe(3);
    // ids[0] and ids[1] were dropped: from ids[0] the client would miss ids[1].
    expect(await store.getStreamIdForEventId(ids[0] as string)).toBeUndefined();
    await expect(replay(store, ids[0] as string)).rejects.toThrow(/unknown or expired/);
    // From ids[1] (the last dropped one) nothing is missing.
    expect((await replay(store, ids[1] as string)).sent.map(([id]) => id)).toEqual(ids.slice(2));
  });

  it('keeps a bounded number of streams and bytes, the least recently written going first', async () => {
    const store = new SessionEventStore({ eventsPerStream: 100, streams: 2, bytes: 200 });
    const old = await store.storeEvent('old', note(1));
    await store.storeEvent('mid', note(2));
    await store.storeEvent('new', note(3));
    expect(store.size.streams).toBe(2);
    expect(await store.getStreamIdForEventId(old)).toBeUndefined();
    for (let n = 0; n < 10; n++) await store.storeEvent('new', note(n));
    expect(store.size.bytes).toBeLessThanOrEqual(200);
    // A message bigger than the whole budget is not kept, and a resume from before it is refused.
    const before = await store.storeEvent('big', note(0));
    await store.storeEvent('big', { jsonrpc: '2.0', method: 'x', params: { text: 'x'.repeat(500) } });
    expect(await store.getStreamIdForEventId(before)).toBeUndefined();
    store.clear();
    expect(store.size).toEqual({ streams: 0, events: 0, bytes: 0 });
  });
});
