import type { Connection } from '@salesforce/core';
import type { SamplingContent } from './content.js';
import type { Cursors } from './paging.js';

/** What kind of org a handle points at; the production write guard acts on it. */
export type OrgKind = 'production' | 'sandbox' | 'scratch' | 'developer' | 'local';

/** An authenticated org the server allowed this call to use. */
export interface OrgHandle {
  /** An authenticated @salesforce/core Connection. */
  readonly connection: Connection;
  readonly username: string;
  readonly alias?: string;
  readonly orgId: string;
  readonly instanceUrl: string;
  readonly kind: OrgKind;
  /** "alias (username)" or the username: how results name the org. */
  readonly label: string;
  /**
   * The org's describe of an object (REST, or Tooling with `tooling`), cached until a call changes this org.
   * Salesforce's error (NOT_FOUND, INVALID_TYPE) comes through as it is.
   */
  describe(objectName: string, options?: { tooling?: boolean }): Promise<DescribeSObjectResult>;
  /** The org's describeGlobal, cached the same way. */
  describeGlobal(options?: { tooling?: boolean }): Promise<DescribeGlobalResult>;
}

export type DescribeSObjectResult = Awaited<ReturnType<Connection['describe']>>;
export type DescribeGlobalResult = Awaited<ReturnType<Connection['describeGlobal']>>;
export type DescribeField = DescribeSObjectResult['fields'][number];

/** An org the server allows, as its sf auth file describes it (no connection is made). */
export interface AllowedOrgSummary {
  username: string;
  alias?: string;
  instanceUrl?: string;
  orgId?: string;
  /** The org a call without an org argument uses. */
  isDefault: boolean;
  /** Which --orgs value (or --local-org) lets it in. */
  grantedBy: string;
  /** What the auth file says, before any connection: scratch and sandbox orgs are marked there. */
  isScratch?: boolean;
  isSandbox?: boolean;
  isDevHub?: boolean;
  /** Scratch org expiry (YYYY-MM-DD), when known. */
  expirationDate?: string;
  /** A problem reading its auth file. */
  error?: string;
}

/** The Salesforce DX project a call works in. */
export interface DxProject {
  /** Absolute path of the folder holding sfdx-project.json. */
  readonly root: string;
  /** Absolute paths of the package directories, default first. */
  readonly packageDirectories: readonly string[];
  readonly sourceApiVersion?: string;
  /**
   * Resolves a path the model passed (relative to the project root, or absolute) and checks it stays
   * inside the project, following symlinks. For reading; write through the methods below. Throws ToolError
   * otherwise.
   */
  resolve(path: string): string;
  /**
   * Writes a whole file inside the project: refuses a symbolic link at any component of the path (dangling
   * or not), writes a temporary file created exclusively in the target's folder, then renames it into place.
   * Refuses an existing file unless `overwrite`. Returns the absolute path written.
   */
  writeFile(path: string, content: string | Uint8Array, options?: ProjectWriteOptions): Promise<string>;
  /** The same, for output written in pieces (an export): nothing appears at `path` until `commit()`. */
  createFile(path: string, options?: ProjectWriteOptions): Promise<ProjectFileWriter>;
  /** Makes a folder (and its parents) inside the project, refusing symbolic links on the way. */
  makeDirectory(path: string): Promise<string>;
  /** Removes a file this call wrote (to undo a partial change); never follows a link. */
  removeFile(path: string): Promise<void>;
  /**
   * For libraries that write into the project themselves (source-deploy-retrieve's retrieve): refuses when a
   * symbolic link sits at or under any of `paths`, or on the way to them.
   */
  assertNoLinks(paths: readonly string[]): Promise<void>;
}

/**
 * The folder the server was started for: the DX project holding --project-dir, or --project-dir itself when
 * it is in none. For tools that work on folders that are not (yet) a DX project: a clone's destination.
 */
export interface Workspace {
  /** Absolute real path of the folder. */
  readonly root: string;
  /** Resolves a path (relative to the root, or absolute), following links, and refuses anything outside. */
  resolve(path: string): string;
  /**
   * For programs that write there themselves (git): refuses when a symbolic link sits at or under any of
   * `paths`, or on the way to them.
   */
  assertNoLinks(paths: readonly string[]): Promise<void>;
}

export interface ProjectWriteOptions {
  /** Replace an existing file (never a link). Default false: an existing file is refused. */
  overwrite?: boolean;
}

/** A file being written into the project: invisible at its path until committed. */
export interface ProjectFileWriter {
  /** The absolute path it will have. */
  readonly path: string;
  write(chunk: string | Uint8Array): Promise<void>;
  /** Moves the finished file into place. */
  commit(): Promise<void>;
  /** Deletes the unfinished file; nothing appears at `path`. */
  discard(): Promise<void>;
}

/** What a destructive or wide action will do, shown to the user before it runs. */
export interface ConfirmationRequest {
  /** One line: "Delete 3 Account records from acme-dev". */
  summary: string;
  /** The preview itself: the records, components or users affected, compact. */
  details?: string;
}

export interface ToolLogger {
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
}

/** MCP's log levels, least severe first. */
export type LogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency';

/** One message of a conversation a tool asks the client's model to continue (ctx.createMessage). */
export interface SamplingMessage {
  role: 'user' | 'assistant';
  content: SamplingContent;
}

/** MCP's sampling/createMessage parameters: the client decides which model answers, and may ask its user first. */
export interface SamplingRequest {
  messages: readonly SamplingMessage[];
  maxTokens: number;
  systemPrompt?: string;
  temperature?: number;
  stopSequences?: readonly string[];
  modelPreferences?: {
    hints?: readonly { name?: string }[];
    costPriority?: number;
    speedPriority?: number;
    intelligencePriority?: number;
  };
}

/** What the client's model answered. */
export interface SamplingResult {
  role: 'user' | 'assistant';
  content: SamplingContent;
  /** The model that answered, as the client names it. */
  model: string;
  /** `endTurn`, `stopSequence`, `maxTokens`, or the client's own reason. */
  stopReason?: string;
}

interface FieldText {
  title?: string;
  description?: string;
}

/** One choice of a titled enum field: the value sent back and the label the user sees. */
export interface TitledChoice {
  const: string;
  title: string;
}

/**
 * One field of a form the user fills in (MCP's restricted elicitation schemas: flat, primitive values). Enum
 * fields come in MCP's forms: `enum` (values are the labels), `oneOf` of `{ const, title }` (labelled), the
 * deprecated `enum` with `enumNames`, and multi-select arrays of either.
 */
export type ElicitationField =
  | (FieldText & {
      type: 'string';
      minLength?: number;
      maxLength?: number;
      format?: 'email' | 'uri' | 'date' | 'date-time';
      default?: string;
    })
  | (FieldText & { type: 'number' | 'integer'; minimum?: number; maximum?: number; default?: number })
  | (FieldText & { type: 'boolean'; default?: boolean })
  | (FieldText & { type: 'string'; enum: readonly string[]; enumNames?: readonly string[]; default?: string })
  | (FieldText & { type: 'string'; oneOf: readonly TitledChoice[]; default?: string })
  | (FieldText & {
      type: 'array';
      items: { type: 'string'; enum: readonly string[] } | { anyOf: readonly TitledChoice[] };
      minItems?: number;
      maxItems?: number;
      default?: readonly string[];
    });

/** A form to put to the user (ctx.elicit). */
export interface ElicitationRequest {
  /** What the user is asked, and why. */
  message: string;
  fields: Readonly<Record<string, ElicitationField>>;
  /** Names of the fields the user must fill in. */
  required?: readonly string[];
}

export type ElicitedValue = string | number | boolean | string[];

/** The user's answer: the form (checked against its fields by the server), or no. */
export type ElicitationAnswer =
  { action: 'accept'; content: Record<string, ElicitedValue> } | { action: 'decline' } | { action: 'cancel' };

/** What the connected client said it can do for a tool, at initialize. */
export interface ClientFeatures {
  /** ctx.createMessage works: the client lets a tool ask its model. */
  readonly sampling: boolean;
  /** ctx.elicit works: the client can put a form to its user. */
  readonly elicitation: boolean;
}

/** All a handler may touch. Built by the server for each call. */
export interface ToolContext {
  /**
   * The org to act on: the one named (username or alias), else the pinned default.
   * Refuses any org outside the server's allowlist, and, for tools that change an org,
   * production orgs unless the server runs with --allow-production-writes.
   */
  org(usernameOrAlias?: string): Promise<OrgHandle>;
  /** The orgs this server allows (with ALLOW_ALL_ORGS: every authenticated org), without connecting. */
  listOrgs(): Promise<AllowedOrgSummary[]>;
  /**
   * Makes an allowed org the default for the rest of this session (calls without an org argument).
   * Refuses orgs outside the allowlist; the allowlist itself never changes.
   */
  setDefaultOrg(usernameOrAlias: string): Promise<OrgHandle>;
  /** The DX project: `directory` (inside the server's project dir) or the server's project dir. */
  project(directory?: string): Promise<DxProject>;
  /** The folder the server was started for, whether or not it is a DX project; every path checked to stay in it. */
  workspace(): Workspace;
  /** Reports progress to the client, when it asked for it. */
  progress(done: number, total?: number, message?: string): Promise<void>;
  /** Aborted when the client cancels the call; the org requests the call makes are aborted with it. */
  readonly signal: AbortSignal;
  /**
   * Runs org requests that must still go out after the call was cancelled (cancelling, in the org, the job
   * the call started): they keep their timeout, not the call's cancellation.
   */
  cleanup<T>(work: () => Promise<T>): Promise<T>;
  readonly log: ToolLogger;
  /**
   * The review step: returns when the user approved the action, throws otherwise. With a client
   * that supports elicitation the user is asked; else the call ends with the preview and a
   * one-time token, and the action runs when called again with that token.
   */
  confirm(request: ConfirmationRequest): Promise<void>;
  /** Bytes of text a result may use before it must be cut with a cursor. */
  readonly responseBudget: number;
  /** Continuation cursors sealed by the server for this tool (see pageWithinBudget for listings). */
  readonly cursors: Cursors;
  /** What the client can do for this call (sampling, elicitation). */
  readonly client: ClientFeatures;
  /**
   * Asks the client's model (MCP sampling/createMessage, sent with this call), and returns its answer. Throws
   * ToolError when the client does not support sampling (see `client.sampling`) or refuses.
   */
  createMessage(request: SamplingRequest): Promise<SamplingResult>;
  /**
   * Puts a form to the user (MCP elicitation/create, sent with this call) and returns their answer, checked by
   * the server against the fields. Throws ToolError when the client does not support elicitation (see
   * `client.elicitation`). For approving a change use `confirm`: it also works without elicitation.
   */
  elicit(request: ElicitationRequest): Promise<ElicitationAnswer>;
  /**
   * Sends a log message to the client (MCP notifications/message, with this call), when its level is at or above
   * the one the client set with logging/setLevel (all, until it sets one). For the user watching the call; `log`
   * writes the server's own log and never reaches the client.
   */
  logToClient(level: LogLevel, message: string, data?: Readonly<Record<string, unknown>>): Promise<void>;
  /**
   * Over Streamable HTTP: ends this call's response stream now, and the call goes on. The client reconnects after
   * the server's retry interval and gets what the call sends afterwards, its result included (SSE polling, for
   * work that outlasts a proxy's idle timeout). Returns false, and does nothing, where the call's stream cannot be
   * resumed (stdio; a client older than protocol 2025-11-25).
   */
  closeResponseStream(): boolean;
}
