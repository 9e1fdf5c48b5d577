import { ToolError } from '@sfmcp/plugin-api';

const HINTS: Record<string, string> = {
  INVALID_SESSION_ID: 'The org session expired: re-authenticate it (sf org login web) and try again.',
  INVALID_ID_FIELD:
    'Check the job id: it must come from this org and, for a quick deploy, be a successful validation.',
  REQUEST_LIMIT_EXCEEDED: 'The org is over its API request limit; wait and try again later.',
  INSUFFICIENT_ACCESS: 'The user lacks access to the Metadata API; check profiles and permission sets.',
};

function errorCodeOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { errorCode?: unknown }).errorCode;
  if (typeof code === 'string' && code) return code.replace(/^sf:/, '');
  const fromMessage = /^([A-Z][A-Z_]{3,}):/.exec(error.message);
  return fromMessage?.[1];
}

/**
 * What a Salesforce or source-deploy-retrieve call threw, as a ToolError that keeps Salesforce's errorCode
 * and message. ToolErrors pass through; SDR's own errors (bad paths, unknown types) keep their message.
 */
export function toToolError(error: unknown, hint?: string): ToolError {
  if (error instanceof ToolError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCodeOf(error);
  const cleaned = message.replace(/^Metadata API request failed: /, '').trim();
  if (code) {
    const text =
      cleaned.startsWith(code) || cleaned.startsWith(`sf:${code}`)
        ? cleaned.replace(/^sf:/, '')
        : `${code}: ${cleaned}`;
    return new ToolError(text, hint ?? HINTS[code]);
  }
  return new ToolError(cleaned, hint);
}

export async function salesforceCall<T>(call: () => Promise<T>, hint?: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toToolError(error, hint);
  }
}
