import { ToolError, toToolError as baseToToolError } from '@sfmcp/plugin-api';

export { isSalesforceError } from '@sfmcp/plugin-api';

/** Hints for the errors user management meets, beyond the common ones. */
const USER_HINTS: Readonly<Record<string, string>> = {
  INSUFFICIENT_ACCESS: 'The org user lacks the permission (Manage Users / Assign Permission Sets).',
  INSUFFICIENT_ACCESS_OR_READONLY:
    'The org user lacks the permission (Manage Users / Assign Permission Sets).',
};

/** Salesforce's code and message as a ToolError, prefixed with what was being done; others pass unchanged. */
export function toToolError(error: unknown, context?: string, hint?: string): unknown {
  const mapped = baseToToolError(error, hint ?? USER_HINTS);
  if (!context || !(mapped instanceof ToolError) || mapped === error) return mapped;
  return new ToolError(`${context}: ${mapped.message}`, mapped.hint);
}

/** Runs a Salesforce call and rethrows its failure as a ToolError. */
export async function salesforceCall<T>(call: () => Promise<T>, context?: string, hint?: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toToolError(error, context, hint);
  }
}
