import { salesforceCall as pluginSalesforceCall } from '@sfmcp/plugin-api';

/** Hints for the errors this toolset's calls meet, besides the common ones. */
const HINTS: Readonly<Record<string, string>> = {
  INVALID_INPUT: 'Check the class, method and suite names (list_apex_tests lists them).',
  ALREADY_IN_PROCESS: 'Another test run is in progress in this org; wait for it, or resume it by its id.',
};

/** Runs a Salesforce call and rethrows its failure as a ToolError keeping Salesforce's errorCode and message. */
export function salesforceCall<T>(call: () => Promise<T>, hint?: string): Promise<T> {
  return pluginSalesforceCall(call, hint ?? HINTS);
}

/** A Salesforce id check (15 or 18 letters and digits), optionally with a key prefix. */
export function isSalesforceId(value: string, prefix?: string): boolean {
  return /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value) && (!prefix || value.startsWith(prefix));
}
