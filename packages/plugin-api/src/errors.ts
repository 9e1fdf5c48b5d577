/** What went wrong, for the server's audit and for clients that act on it. */
export type ToolErrorKind =
  /** The trust policy or a guard refused the call; nothing was changed. */
  | 'refused'
  /** The arguments cannot be used as given. */
  | 'invalid'
  /** What the arguments name does not exist. */
  | 'not-found'
  /** Salesforce answered with an error. */
  | 'salesforce'
  /** The org or a service could not be reached, or did not answer in time. */
  | 'unavailable'
  /** Anything else the user can act on. */
  | 'failed';

export interface ToolErrorOptions {
  kind?: ToolErrorKind;
  /** A stable code: Salesforce's errorCode (INVALID_FIELD), or the tool's own. */
  code?: string;
}

/** Errors are recognised by this brand, not `instanceof`, so two installed copies of the contract agree. */
const TOOL_ERROR = Symbol.for('sfmcp.ToolError');

/**
 * An error the user can act on. The server turns it into an `isError: true` result carrying
 * `message` (and `hint`, when given); no stack trace reaches the model.
 */
export class ToolError extends Error {
  readonly kind: ToolErrorKind;
  readonly code?: string;
  readonly [TOOL_ERROR] = true;

  constructor(
    message: string,
    readonly hint?: string,
    options: ToolErrorOptions = {},
  ) {
    super(message);
    this.name = 'ToolError';
    this.kind = options.kind ?? (/^Refused\b/.test(message) ? 'refused' : 'failed');
    if (options.code !== undefined) this.code = options.code;
  }
}

/** True for a ToolError from any copy of @sfmcp/plugin-api. */
export function isToolError(error: unknown): error is ToolError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[TOOL_ERROR] === true &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** Thrown by `defineTool` / `definePlugin` when a definition breaks the contract. */
export class DefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DefinitionError';
  }
}

/**
 * A value as an error message quotes it: at most `max` characters (an ellipsis marks the cut), so that
 * a huge or hostile argument never comes back whole.
 */
export function excerpt(value: string, max = 60): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
