import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { AnyTool, LogLevel, OrgHandle } from '@sfmcp/plugin-api';
import type { OrgRequestObserver } from '../orgs/call-scope.js';
import type { CallMeter } from './meter.js';
import type { Runtime } from '../runtime.js';

/** What one MCP session holds: its id, set_default_org's choice (the allowlist itself stays pinned), its log level. */
export interface SessionState {
  readonly id: string;
  readonly server: Server;
  /**
   * What confirmation tokens bind to when it is not the session id: in stateless HTTP (no MCP session) the
   * authenticated principal (`bearer`, `oauth-user:<id>`, `oauth-client:<id>`) or `anonymous-loopback`.
   */
  binding?: string;
  defaultOrg?: string;
  /** On a team server with OAuth: the Salesforce user the session's token belongs to (its username). */
  user?: string;
  /** The least severe level the client wants log messages at (logging/setLevel); all until it sets one. */
  logLevel?: LogLevel;
}

/** How the trust policy treats this call (from the tool's declarations, or a resumer's). */
export interface CallPolicy {
  /** The call may change an org: the production guard applies. */
  changesOrg: boolean;
  /** The call may change something (an org or the project): it is audited. */
  audited: boolean;
}

/** One tool call as it passes through the stages. */
export interface Call {
  readonly runtime: Runtime;
  readonly session: SessionState;
  readonly tool: AnyTool;
  /** The raw arguments, as the client sent them. */
  readonly args: Record<string, unknown>;
  /** Digest of the tool and its arguments (without the token): what tokens and the audit bind to. */
  readonly digest: string;
  policy: CallPolicy;
  /** The validated input, without confirmationToken. */
  input: Record<string, unknown>;
  confirmationToken?: string;
  /** The shared `usernameOrAlias` argument the call was given: what ctx.org() opens without an argument. */
  usernameOrAlias?: string;
  /** The shared `directory` argument: what ctx.project() opens without an argument. */
  directory?: string;
  /** Every org the call resolved, in order. */
  readonly touched: OrgHandle[];
  /** What watches this call's org requests (the policy's rules, the audit's counts): stages add to it. */
  readonly observers: OrgRequestObserver[];
  /** The toolset the tool came from ('core' for the server's own). */
  readonly toolset: string;
  /** The orgs the policy stage admitted the call to (lower-case usernames). */
  readonly admitted: Set<string>;
  /** The policy asked for the user's review of a tool that has none of its own. */
  reviewedByPolicy?: boolean;
  /** Once a token is redeemed: the orgs it approved; the call may resolve no other. */
  approvedOrgs?: readonly string[];
  /** When the call arrived (ms since the epoch): the audit's duration. */
  readonly startedAt: number;
  /** What the call read and changed, counted from the org's answers (one of its observers). */
  readonly meter: CallMeter;
}
