import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { errorReply, idOfOversized, screenMessage } from './screen.js';

/** The largest message taken on stdio; a larger one is answered with an error and skipped. */
export const MAX_STDIO_MESSAGE_BYTES = 16 * 1024 * 1024;
const KEEP = 4096;

/**
 * Newline-delimited JSON-RPC on stdin/stdout, like the SDK's StdioServerTransport, except that no input
 * closes it: a message over the size limit is skipped up to its newline and answered with an error, a line
 * that is not JSON gets a parse error, and a request the schema refuses is answered rather than dropped.
 */
export class SafeStdioTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Skipping an oversized message: its first and last bytes, to find its id. */
  #skipping?: { head: string; tail: Buffer };
  #started = false;

  constructor(
    private readonly stdin: NodeJS.ReadableStream = process.stdin,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly maxBytes = MAX_STDIO_MESSAGE_BYTES,
  ) {}

  #onData = (chunk: Buffer | string) => {
    let rest = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    for (;;) {
      const newline = rest.indexOf(10);
      const part = newline === -1 ? rest : rest.subarray(0, newline);
      if (this.#skipping) {
        this.#skipping.tail = Buffer.concat([this.#skipping.tail, part]).subarray(-KEEP);
      } else if (this.#pendingBytes + part.length > this.maxBytes) {
        const head = Buffer.concat([...this.#pending, part.subarray(0, KEEP)]).subarray(0, KEEP);
        this.#skipping = { head: head.toString('utf8'), tail: part.subarray(-KEEP) };
        this.#pending = [];
        this.#pendingBytes = 0;
      } else {
        this.#pending.push(part);
        this.#pendingBytes += part.length;
      }
      if (newline === -1) return;
      rest = rest.subarray(newline + 1);
      if (this.#skipping) {
        const { head, tail } = this.#skipping;
        this.#skipping = undefined;
        this.#oversized(head, tail.toString('utf8'));
      } else {
        const line = Buffer.concat(this.#pending).toString('utf8').replace(/\r$/, '');
        this.#pending = [];
        this.#pendingBytes = 0;
        if (line.trim()) this.#line(line);
      }
    }
  };

  #onError = (error: Error) => this.onerror?.(error);

  #oversized(head: string, tail: string): void {
    const limit = `${Math.round(this.maxBytes / (1024 * 1024))} MB`;
    this.onerror?.(new Error(`skipped a message over ${limit}`));
    void this.send(
      errorReply(
        idOfOversized(head, tail),
        ErrorCode.InvalidRequest,
        `Request too large: over ${limit}; it was ignored.`,
      ) as JSONRPCMessage,
    );
  }

  #line(line: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      this.onerror?.(new Error('a line on stdin is not JSON'));
      void this.send(
        errorReply(null, ErrorCode.ParseError, 'Parse error: the message is not JSON.') as JSONRPCMessage,
      );
      return;
    }
    const screened = screenMessage(raw);
    if ('message' in screened) {
      this.onmessage?.(screened.message);
      return;
    }
    this.onerror?.(new Error(screened.problem));
    if (screened.reply) void this.send(screened.reply as JSONRPCMessage);
  }

  async start(): Promise<void> {
    if (this.#started) throw new Error('SafeStdioTransport already started');
    this.#started = true;
    this.stdin.on('data', this.#onData);
    this.stdin.on('error', this.#onError);
  }

  async close(): Promise<void> {
    this.stdin.off('data', this.#onData);
    this.stdin.off('error', this.#onError);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.#pending = [];
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.stdout.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.stdout.once('drain', () => resolve());
    });
  }
}
