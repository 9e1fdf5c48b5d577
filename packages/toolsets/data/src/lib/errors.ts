import { ToolError } from '@sfmcp/plugin-api';

/** What jsforce throws for a Salesforce API error: `errorCode` and `message` (and `name` = errorCode). */
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

/** Salesforce error messages for queries start with the query and a caret line; keep the last lines. */
export function cleanSalesforceMessage(message: string): string {
  return message.trim();
}

const HINTS: Record<string, string> = {
  INVALID_SESSION_ID: 'The org session expired: re-authenticate it (sf org login web) and try again.',
  REQUEST_LIMIT_EXCEEDED: 'The org is over its API request limit; wait and try again later.',
  NOT_FOUND: 'Check the id and the object name.',
  MALFORMED_ID: 'Salesforce ids have 15 or 18 letters and digits.',
  INSUFFICIENT_ACCESS: 'The user lacks access; check profiles and permission sets.',
};

/**
 * Turns what a Salesforce call threw into a ToolError that keeps Salesforce's errorCode and message
 * ("INVALID_FIELD: No such column ..."). ToolErrors pass through; anything else is returned unchanged
 * so the server reports it as an unexpected failure.
 */
export function toToolError(error: unknown, hint?: string): unknown {
  if (error instanceof ToolError) return error;
  if (isSalesforceError(error)) {
    return new ToolError(
      `${error.errorCode}: ${cleanSalesforceMessage(error.message)}`,
      hint ?? HINTS[error.errorCode],
    );
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
