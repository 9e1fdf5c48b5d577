import type { OrgState } from '../state/types.js';

/** One parsed request, as every route handler sees it. */
export interface RouteRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** API version from the path (`62.0`), when the path has one. */
  apiVersion?: string;
}

export interface RouteReply {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings and buffers as they are. */
  body?: unknown;
}

/** Route modules (rest/, tooling/, metadata/) export handlers of this shape; server.ts wires them. */
export type RouteHandler = (request: RouteRequest, org: OrgState) => RouteReply | Promise<RouteReply>;
