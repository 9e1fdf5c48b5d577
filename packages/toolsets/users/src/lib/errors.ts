import { ToolError } from '@sfmcp/plugin-api';

/** What jsforce throws for a Salesforce API error: `errorCode` and `message`. */
export interface SalesforceError {
  errorCode: string;
  message: string;
}

export function isSalesforceError(error: unknown): error is SalesforceError {
  const code = (error as { errorCode?: unknown } | null)?.errorCode;
  return error instanceof Error && typeof code === 'string' && code.length > 0;
}

const HINTS: Record<string, string> = {
  INVALID_SESSION_ID: 'The org session expired: re-authenticate it (sf org login web) and try again.',
  REQUEST_LIMIT_EXCEEDED: 'The org is over its API request limit; wait and try again later.',
  INSUFFICIENT_ACCESS: 'The org user lacks the permission (Manage Users / Assign Permission Sets).',
  INSUFFICIENT_ACCESS_OR_READONLY:
    'The org user lacks the permission (Manage Users / Assign Permission Sets).',
};

/** Turns a Salesforce failure into a ToolError that keeps its errorCode and message; others pass unchanged. */
export function toToolError(error: unknown, context?: string, hint?: string): unknown {
  if (error instanceof ToolError) return error;
  if (isSalesforceError(error)) {
    const text = `${error.errorCode}: ${error.message.trim()}`;
    return new ToolError(context ? `${context}: ${text}` : text, hint ?? HINTS[error.errorCode]);
  }
  return error;
}

/** Runs a Salesforce call and rethrows its failure as a ToolError. */
export async function salesforceCall<T>(call: () => Promise<T>, context?: string, hint?: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toToolError(error, context, hint);
  }
}
