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

/**
 * Turns what a Salesforce call threw into a ToolError that keeps Salesforce's errorCode and message
 * ("INVALID_FIELD: No such column ..."), with a hint from `hints` or the common ones. ToolErrors pass
 * through; anything else is returned unchanged, for the server to report as an unexpected failure.
 * Libraries that wrap API failures in plain errors whose message starts with the code are understood too.
 */
export function toToolError(error: unknown, hints: Readonly<Record<string, string>> | string = {}): unknown {
  if (isToolError(error)) return error;
  const hintFor = (code: string) =>
    typeof hints === 'string' ? hints : (hints[code] ?? SALESFORCE_ERROR_HINTS[code]);
  if (isSalesforceError(error) && /^ERROR_HTTP_\d+$/.test(error.errorCode) && !error.message.trim()) {
    // jsforce's name for an HTTP failure whose body said nothing: say what the status means.
    const status = Number(error.errorCode.slice('ERROR_HTTP_'.length));
    return new ToolError(
      `Salesforce answered HTTP ${status}${HTTP_STATUS_MEANING[status] ? ` (${HTTP_STATUS_MEANING[status]})` : ''} with no message.`,
      hintFor(error.errorCode) ?? HTTP_STATUS_HINTS[status],
      { kind: status >= 500 ? 'unavailable' : 'salesforce', code: error.errorCode },
    );
  }
  if (isSalesforceError(error))
    return new ToolError(`${error.errorCode}: ${error.message.trim()}`, hintFor(error.errorCode), {
      kind: 'salesforce',
      code: error.errorCode,
    });
  if (error instanceof Error && /^[A-Z_]{4,}: /.test(error.message)) {
    const code = error.message.slice(0, error.message.indexOf(':'));
    return new ToolError(error.message.trim(), hintFor(code), { kind: 'salesforce', code });
  }
  return error;
}

/** Runs a Salesforce call and rethrows its failure as a ToolError (see toToolError). */
export async function salesforceCall<T>(
  call: () => Promise<T>,
  hints?: Readonly<Record<string, string>> | string,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toToolError(error, hints);
  }
}
