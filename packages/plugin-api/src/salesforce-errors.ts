import { ToolError } from './errors.js';

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

/**
 * Turns what a Salesforce call threw into a ToolError that keeps Salesforce's errorCode and message
 * ("INVALID_FIELD: No such column ..."), with a hint from `hints` or the common ones. ToolErrors pass
 * through; anything else is returned unchanged, for the server to report as an unexpected failure.
 * Libraries that wrap API failures in plain errors whose message starts with the code are understood too.
 */
export function toToolError(error: unknown, hints: Readonly<Record<string, string>> | string = {}): unknown {
  if (error instanceof ToolError) return error;
  const hintFor = (code: string) =>
    typeof hints === 'string' ? hints : (hints[code] ?? SALESFORCE_ERROR_HINTS[code]);
  if (isSalesforceError(error))
    return new ToolError(`${error.errorCode}: ${error.message.trim()}`, hintFor(error.errorCode));
  if (error instanceof Error && /^[A-Z_]{4,}: /.test(error.message)) {
    return new ToolError(error.message.trim(), hintFor(error.message.slice(0, error.message.indexOf(':'))));
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
