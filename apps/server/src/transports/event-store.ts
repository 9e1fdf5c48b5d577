import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** How much one session keeps for clients to resume its SSE streams. */
export interface EventStoreLimits {
  /** Events kept per stream (a call's response stream, or the session's GET stream); older ones are dropped. */
  eventsPerStream: number;
  /** Streams kept; the least recently written is dropped whole. */
  streams: number;
  /** Bytes (JSON) kept across the session's streams; the oldest events of the least recently written go first. */
  bytes: number;
}

export const DEFAULT_EVENT_STORE_LIMITS: EventStoreLimits = {
  eventsPerStream: 100,
  streams: 200,
  bytes: 1024 * 1024,
};

interface StoredEvent {
  seq: number;
  message: JSONRPCMessage;
  size: number;
}

interface Stream {
  events: StoredEvent[];
  /** The last sequence number dropped from this stream: resuming from before it would skip messages. */
  droppedThrough: number;
}

/**
 * One session's SSE events, so a client whose stream closed (a network blip, or a tool that ended it to poll,
 * ctx.closeResponseStream) reconnects with Last-Event-ID and gets what it missed. Bounded (see
 * EventStoreLimits), in memory, dropped with the session. A resume that would skip a dropped event is refused
 * (the client then gets an error, not a silent gap).
 *
 * Event ids are `<sequence>_<stream id>`: the sequence is this session's, so ids are unique and ordered within
 * it, and say which stream they belong to.
 */
export class SessionEventStore implements EventStore {
  private seq = 0;
  private bytes = 0;
  /** In order of last write: the first is the least recently written. */
  private readonly streams = new Map<string, Stream>();

  constructor(private readonly limits: EventStoreLimits = DEFAULT_EVENT_STORE_LIMITS) {}

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const seq = ++this.seq;
    let stream = this.streams.get(streamId);
    if (stream) this.streams.delete(streamId);
    else stream = { events: [], droppedThrough: 0 };
    this.streams.set(streamId, stream);
    const size = JSON.stringify(message).length;
    if (size > this.limits.bytes) {
      // Too big to keep: a resume from before it is refused rather than skipping it.
      stream.droppedThrough = seq;
    } else {
      stream.events.push({ seq, message, size });
      this.bytes += size;
      while (stream.events.length > this.limits.eventsPerStream) this.dropOldest(stream);
    }
    this.enforceLimits();
    return `${seq}_${streamId}`;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.locate(eventId)?.streamId;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const found = this.locate(lastEventId);
    if (!found) throw new Error(`unknown or expired event id ${lastEventId}`);
    for (const event of [...found.stream.events]) {
      // The priming event ({}) only marks where a stream starts: there is nothing to deliver.
      if (event.seq > found.seq && Object.keys(event.message).length > 0)
        await send(`${event.seq}_${found.streamId}`, event.message);
    }
    return found.streamId;
  }

  /** Forgets everything: the session is gone. */
  clear(): void {
    this.streams.clear();
    this.bytes = 0;
  }

  /** What the store holds now (for tests and diagnostics). */
  get size(): { streams: number; events: number; bytes: number } {
    let events = 0;
    for (const stream of this.streams.values()) events += stream.events.length;
    return { streams: this.streams.size, events, bytes: this.bytes };
  }

  /** The stream and sequence of an event id this store issued, while resuming from it loses nothing. */
  private locate(eventId: string): { streamId: string; stream: Stream; seq: number } | undefined {
    const match = /^(\d+)_(.+)$/.exec(eventId);
    if (!match) return undefined;
    const seq = Number(match[1]);
    const streamId = match[2] as string;
    const stream = this.streams.get(streamId);
    if (!stream || seq > this.seq || seq < stream.droppedThrough) return undefined;
    return { streamId, stream, seq };
  }

  private dropOldest(stream: Stream): void {
    const dropped = stream.events.shift();
    if (!dropped) return;
    this.bytes -= dropped.size;
    stream.droppedThrough = dropped.seq;
  }

  private enforceLimits(): void {
    while (this.streams.size > this.limits.streams) {
      const [oldestId, oldest] = this.streams.entries().next().value as [string, Stream];
      for (const event of oldest.events) this.bytes -= event.size;
      this.streams.delete(oldestId);
    }
    for (const stream of this.streams.values()) {
      if (this.bytes <= this.limits.bytes) return;
      while (stream.events.length && this.bytes > this.limits.bytes) this.dropOldest(stream);
    }
  }
}
