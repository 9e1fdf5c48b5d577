import { ToolError } from '@sfmcp/plugin-api';

/** What jsforce throws for a Salesforce API error: `errorCode` and `message`. */
export interface SalesforceError {
  errorCode: string;
  message: string;
}

export function isSalesforceError(error: unknown): error is SalesforceError {
  return (
    error instanceof Error &&
    typeof (error as unknown as { errorCode?: unknown }).errorCode === 'string' &&
    (error as unknown as { errorCode: string }).errorCode.length > 0
  );
}

const HINTS: Record<string, string> = {
  INVALID_SESSION_ID: 'The org session expired: re-authenticate it (sf org login web) and try again.',
  REQUEST_LIMIT_EXCEEDED: 'The org is over its API request limit; wait and try again later.',
  INSUFFICIENT_ACCESS: 'The user lacks access; check profiles and permission sets.',
  INVALID_INPUT: 'Check the class, method and suite names (list_apex_tests lists them).',
  ALREADY_IN_PROCESS: 'Another test run is in progress in this org; wait for it, or resume it by its id.',
};

/**
 * Turns a Salesforce failure into a ToolError that keeps Salesforce's errorCode and message; ToolErrors
 * pass through; anything else is returned unchanged for the server to report.
 */
export function toToolError(error: unknown, hint?: string): unknown {
  if (error instanceof ToolError) return error;
  if (isSalesforceError(error)) {
    return new ToolError(`${error.errorCode}: ${error.message.trim()}`, hint ?? HINTS[error.errorCode]);
  }
  // apex-node wraps API failures in plain errors whose message starts with the error code.
  if (error instanceof Error && /^[A-Z_]{4,}: /.test(error.message)) {
    const code = error.message.slice(0, error.message.indexOf(':'));
    return new ToolError(error.message, hint ?? HINTS[code]);
  }
  return error;
}

/** Runs a Salesforce call and rethrows its failure as a ToolError (see toToolError). */
export async function salesforceCall<T>(call: () => Promise<T>, hint?: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toToolError(error, hint);
  }
}

/** Quotes a value for a SOQL string literal. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A Salesforce id check (15 or 18 letters and digits), optionally with a key prefix. */
export function isSalesforceId(value: string, prefix?: string): boolean {
  return /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value) && (!prefix || value.startsWith(prefix));
}
