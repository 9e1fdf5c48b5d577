import { ToolError, isToolError } from './errors.js';

/** What jsforce (under @salesforce/core) throws for a Salesforce API error. */
export interface SalesforceError extends Error {
  errorCode: string;
}

export function isSalesforceError(error: unknown): error is SalesforceError {
  return (
    error instanceof Error &&
    typeof (error as { errorCode?: unknown }).errorCode === 'string' &&
    (error as SalesforceError).errorCode !== ''
  );
}

/** What a user can do about the errors every toolset meets. */
export const SALESFORCE_ERROR_HINTS: Readonly<Record<string, string>> = {
  INVALID_SESSION_ID: 'The org session expired: re-authenticate it (sf org login web) and try again.',
  REQUEST_LIMIT_EXCEEDED: 'The org is over its API request limit; wait and try again later.',
  NOT_FOUND: 'Check the id and the object name.',
  MALFORMED_ID: 'Salesforce ids have 15 or 18 letters and digits.',
  INSUFFICIENT_ACCESS: 'The user lacks access; check profiles and permission sets.',
};

const HTTP_STATUS_MEANING: Readonly<Record<number, string>> = {
  400: 'bad request',
  401: 'not authorized',
  403: 'forbidden',
  404: 'not found',
  414: 'URI too long',
  431: 'request headers too large',
  500: 'server error',
  502: 'bad gateway',
  503: 'service unavailable',
};

const HTTP_STATUS_HINTS: Readonly<Record<number, string>> = {
  414: 'Salesforce accepts at most 16,384 bytes of URI and headers in one REST call: shorten the request.',
  431: 'Salesforce accepts at most 16,384 bytes of URI and headers in one REST call: shorten the request.',
  503: 'The org is unavailable or busy; try again shortly.',
};

/** How a toolset maps the errors of one call. */
export interface ErrorMapping {
  /** The toolset's hints by Salesforce errorCode (the common ones apply too). */
  hints?: Readonly<Record<string, string>>;
  /** A hint for this call, over the tables. */
  hint?: string;
  /** What was being done, before the message: "Could not describe Account". */
  prefix?: string;
  /**
   * Turn a library's own errors (not Salesforce's: a bad path, an unknown metadata type) into ToolErrors
   * with their message too. Default: they pass unchanged, for the server to report as unexpected.
   */
  wrapOthers?: boolean;
}

/** Salesforce's error code of what was thrown: jsforce's errorCode (`sf:` dropped), else a `CODE: ` message prefix. */
function errorCodeOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { errorCode?: unknown }).errorCode;
  if (typeof code === 'string' && code) return code.replace(/^sf:/, '');
  return /^(?:sf:)?([A-Z][A-Z0-9_]{3,}): /.exec(error.message)?.[1];
}

/**
 * Turns what a Salesforce call threw into a ToolError that keeps Salesforce's errorCode and message
 * ("INVALID_FIELD: No such column ..."), with a hint from the call, the toolset's table or the common ones.
 * ToolErrors pass through (with the prefix added); a library's own errors pass unchanged unless `wrapOthers`.
 * The one Salesforce error mapping: toolsets give it their hint tables, never a mapping of their own.
 */
export function toToolError(error: unknown, mapping: ErrorMapping = {}): unknown {
  const prefixed = (message: string) => (mapping.prefix ? `${mapping.prefix}: ${message}` : message);
  if (isToolError(error)) {
    if (!mapping.prefix) return error;
    return new ToolError(prefixed(error.message), error.hint, {
      kind: error.kind,
      ...(error.code ? { code: error.code } : {}),
    });
  }
  const code = errorCodeOf(error);
  const hintFor = (key: string) => mapping.hint ?? mapping.hints?.[key] ?? SALESFORCE_ERROR_HINTS[key];
  if (code && error instanceof Error) {
    const body = error.message.replace(/^Metadata API request failed: /, '').trim();
    const status = /^ERROR_HTTP_(\d+)$/.exec(code)?.[1];
    if (status && !body) {
      // jsforce's name for an HTTP failure whose body said nothing: say what the status means.
      const number = Number(status);
      return new ToolError(
        prefixed(
          `Salesforce answered HTTP ${number}${HTTP_STATUS_MEANING[number] ? ` (${HTTP_STATUS_MEANING[number]})` : ''} with no message.`,
        ),
        hintFor(code) ?? HTTP_STATUS_HINTS[number],
        { kind: number >= 500 ? 'unavailable' : 'salesforce', code },
      );
    }
    const message =
      body.startsWith(`${code}:`) || body.startsWith(`sf:${code}:`)
        ? body.replace(/^sf:/, '')
        : `${code}: ${body}`;
    return new ToolError(prefixed(message), hintFor(code), { kind: 'salesforce', code });
  }
  if (mapping.wrapOthers || mapping.prefix) {
    const message = error instanceof Error ? error.message : String(error);
    return new ToolError(prefixed(message.trim()), mapping.hint, { kind: 'failed' });
  }
  return error;
}

/** A failure the caller knows is the user's to act on, always as a ToolError (see toToolError). */
export function salesforceError(error: unknown, mapping: ErrorMapping = {}): ToolError {
  return toToolError(error, { ...mapping, wrapOthers: true }) as ToolError;
}

/** Runs a Salesforce call and rethrows its failure as a ToolError (see toToolError). */
export async function salesforceCall<T>(call: () => Promise<T>, mapping?: ErrorMapping): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toToolError(error, mapping);
  }
}
