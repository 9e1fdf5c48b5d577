import { createHmac, timingSafeEqual } from 'node:crypto';
import { type CursorBinding, type Cursors, MAX_CURSOR_LENGTH, ToolError } from '@sfmcp/plugin-api';
import { digestValue } from './digest.js';
import type { ServerSecret } from './secret.js';

const PREFIX = 'c1.';
/** A cursor outlives any sensible pause between pages; Salesforce's own query locators last 15 idle minutes. */
export const CURSOR_TTL_MS = 60 * 60_000;

interface SealedCursor {
  /** Tool that issued it. */
  t: string;
  /** Org username (lower case), or '' for listings from no org. */
  o: string;
  /** Digest of the listing. */
  d: string;
  /** Expiry, seconds since the epoch. */
  x: number;
  /** The tool's own state. */
  s: Record<string, unknown>;
}

function invalid(message: string, hint: string): ToolError {
  return new ToolError(message, hint, { kind: 'invalid', code: 'INVALID_CURSOR' });
}

const START_AGAIN = 'Pass the cursor exactly as the previous result gave it, or leave it out to start again.';

/** Seals and opens cursors: HMAC-authenticated, bound to tool, org and listing, expiring. */
export class CursorSealer {
  readonly #key: Buffer;

  constructor(
    secret: ServerSecret,
    private readonly ttlMs = CURSOR_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.#key = secret.key('cursor');
  }

  #mac(payload: string): string {
    return createHmac('sha256', this.#key).update(payload).digest('base64url').slice(0, 32);
  }

  /** The Cursors a tool's context gets: sealed for `tool`. */
  forTool(tool: string): Cursors {
    return {
      seal: (state, binding) => this.seal(tool, state, binding),
      open: <State extends Record<string, unknown>>(cursor: string, binding: CursorBinding) =>
        this.open(tool, cursor, binding) as State,
    };
  }

  seal(tool: string, state: Record<string, unknown>, binding: CursorBinding): string {
    const sealed: SealedCursor = {
      t: binding.tool ?? tool,
      o: (binding.org ?? '').toLowerCase(),
      d: digestValue(binding.listing).slice(0, 22),
      x: Math.ceil((this.now() + this.ttlMs) / 1000),
      s: state,
    };
    const payload = Buffer.from(JSON.stringify(sealed), 'utf8').toString('base64url');
    const cursor = `${PREFIX}${payload}.${this.#mac(payload)}`;
    if (cursor.length > MAX_CURSOR_LENGTH) throw new Error(`${tool}: cursor state is too large to seal`);
    return cursor;
  }

  open(tool: string, cursor: string, binding: CursorBinding): Record<string, unknown> {
    if (typeof cursor !== 'string' || !cursor.startsWith(PREFIX) || cursor.length > MAX_CURSOR_LENGTH) {
      throw invalid('The cursor is not valid: it was not issued by this server.', START_AGAIN);
    }
    const body = cursor.slice(PREFIX.length);
    const dot = body.lastIndexOf('.');
    const payload = dot > 0 ? body.slice(0, dot) : '';
    const mac = Buffer.from(dot > 0 ? body.slice(dot + 1) : '', 'utf8');
    const expected = Buffer.from(this.#mac(payload), 'utf8');
    if (!payload || mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
      throw invalid('The cursor is not valid: it was altered, or issued by another server.', START_AGAIN);
    }
    const sealed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SealedCursor;
    if (sealed.t !== tool) {
      throw invalid(
        `The cursor belongs to ${sealed.t}, not ${tool}.`,
        `Pass it to ${sealed.t}, or leave it out to start again.`,
      );
    }
    if (sealed.x * 1000 < this.now()) {
      throw invalid('The cursor has expired.', 'Leave it out to start the listing again.');
    }
    const org = (binding.org ?? '').toLowerCase();
    if (sealed.o !== org) {
      throw invalid(
        sealed.o
          ? `The cursor belongs to a listing from ${sealed.o}, not from ${org || 'no org'}.`
          : `The cursor belongs to a listing from no org, not from ${org}.`,
        'Continue on the org the listing came from, or leave the cursor out to start again.',
      );
    }
    if (sealed.d !== digestValue(binding.listing).slice(0, 22)) {
      throw invalid(
        'The cursor belongs to another listing: the arguments that define it differ from the call that gave it.',
        'Call again with the same arguments as before and the cursor, or leave the cursor out to start again.',
      );
    }
    return sealed.s;
  }
}
