import { salesforceCall as baseCall, toToolError as baseToToolError } from '@sfmcp/plugin-api';

export { isSalesforceError, type SalesforceError } from '@sfmcp/plugin-api';

/** Hints for the errors the data tools meet, beyond the common ones. */
const DATA_HINTS: Record<string, string> = {
  NOT_FOUND: 'Check the id and the object name.',
  MALFORMED_ID: 'Salesforce ids have 15 or 18 letters and digits.',
};

/** Salesforce's code and message as a ToolError (see @sfmcp/plugin-api toToolError). */
export function toToolError(error: unknown, hint?: string): unknown {
  return baseToToolError(error, hint ?? DATA_HINTS);
}

/** Runs a Salesforce call and rethrows its failure as a ToolError. */
export function salesforceCall<T>(call: () => Promise<T>, hint?: string): Promise<T> {
  return baseCall(call, hint ?? DATA_HINTS);
}
