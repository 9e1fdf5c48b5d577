import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  JSONRPCRequestSchema,
  ErrorCode,
} from '@modelcontextprotocol/sdk/types.js';

export interface JsonRpcErrorReply {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string };
}

function idOf(raw: unknown): string | number | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

export function errorReply(id: string | number | null, code: number, message: string): JsonRpcErrorReply {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

/**
 * Checks one incoming JSON-RPC value before the SDK sees it. The SDK drops a message its schema refuses
 * (a `_meta.progressToken` that is an object, null or 1.5) without answering; a request gets an error
 * naming what is wrong instead, so every request is answered.
 */
export function screenMessage(
  raw: unknown,
): { message: JSONRPCMessage } | { reply?: JsonRpcErrorReply; problem: string } {
  const parsed = JSONRPCMessageSchema.safeParse(raw);
  if (parsed.success) return { message: parsed.data };
  const id = idOf(raw);
  const isRequest = typeof (raw as { method?: unknown } | null)?.method === 'string' && id !== null;
  // The union's own issue says only "Invalid input": the request schema alone names the field.
  const issue = (isRequest ? JSONRPCRequestSchema.safeParse(raw).error : parsed.error)?.issues[0];
  const where = issue?.path.length ? issue.path.map(String).join('.') : 'message';
  const meta = (raw as { params?: { _meta?: { progressToken?: unknown } } }).params?._meta;
  const token = meta && typeof meta === 'object' && 'progressToken' in meta ? meta.progressToken : '';
  const problem =
    typeof token !== 'string' && !Number.isSafeInteger(token)
      ? 'Invalid request: params._meta.progressToken must be a string or an integer'
      : `Invalid request: ${where}: ${issue?.message ?? 'not a JSON-RPC 2.0 message'}`;
  if (!isRequest) return { problem };
  const code = where.startsWith('params') ? ErrorCode.InvalidParams : ErrorCode.InvalidRequest;
  return { reply: errorReply(id, code, problem), problem };
}

/**
 * The id of a request too large to parse: JSON-RPC clients write it near the start (`{"jsonrpc":"2.0","id":1,`)
 * or, as the MCP SDK does, last (`…,"id":7}`).
 */
export function idOfOversized(head: string, tail: string): string | number | null {
  const atStart =
    /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.){0,200}")/.exec(head);
  const atEnd = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.){0,200}")\s*\}\s*$/.exec(tail);
  const found = atStart?.[1] ?? atEnd?.[1];
  if (found === undefined) return null;
  try {
    return JSON.parse(found) as string | number;
  } catch {
    return null;
  }
}

/**
 * A transport whose incoming messages are screened as the stdio and HTTP transports screen theirs, for
 * transports the SDK provides (in-memory, for tests and embeddings): a malformed request is answered.
 */
export function screenedTransport(inner: Transport): Transport {
  const outer: Transport = {
    start: () => inner.start(),
    send: (message, options) => inner.send(message, options),
    close: () => inner.close(),
    get sessionId() {
      return inner.sessionId;
    },
    setProtocolVersion: (version) => inner.setProtocolVersion?.(version),
  };
  inner.onmessage = (raw, extra) => {
    const screened = screenMessage(raw);
    if ('message' in screened) {
      outer.onmessage?.(screened.message, extra);
      return;
    }
    outer.onerror?.(new Error(screened.problem));
    if (screened.reply) void inner.send(screened.reply as JSONRPCMessage);
  };
  inner.onclose = () => outer.onclose?.();
  inner.onerror = (error) => outer.onerror?.(error);
  return outer;
}
