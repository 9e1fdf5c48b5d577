/** Why a connection to an org failed, as a user can act on it: shared by list_all_orgs, get_org_info and `sfmcp doctor`. */
/** What jsforce and @salesforce/core throw: an Error, often with Salesforce's errorCode. */
interface SalesforceLikeError {
  message?: string;
  errorCode?: string;
  name?: string;
  code?: string;
  cause?: unknown;
}

function describe(error: unknown): { errorCode?: string; message: string } {
  if (error && typeof error === 'object') {
    const value = error as SalesforceLikeError;
    const errorCode = value.errorCode ?? (value.name && value.name !== 'Error' ? value.name : undefined);
    return { ...(errorCode ? { errorCode } : {}), message: value.message ?? String(error) };
  }
  return { message: String(error) };
}

export type ConnectionStatus = 'connected' | 'expired' | 'unreachable' | 'error';

/** Every code and message fragment in an error and its causes, for classification. */
function fragments(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 4) return error ? [String(error)] : [];
  const value = error as SalesforceLikeError;
  return [
    value.errorCode ?? '',
    value.code ?? '',
    value.name ?? '',
    value.message ?? '',
    ...fragments(value.cause, depth + 1),
  ].filter(Boolean);
}

const EXPIRED =
  /INVALID_SESSION_ID|Session expired|expired access\/refresh token|invalid_grant|INVALID_AUTH|Bad_OAuth_Token|RefreshTokenAuthError|token.*(expired|revoked)/i;
const UNREACHABLE =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET|UND_ERR|fetch failed|socket hang up|getaddrinfo|timed out|network/i;

/** connected / expired (the session or refresh token is no longer good) / unreachable (network) / error. */
export function classifyConnectionError(error: unknown): Exclude<ConnectionStatus, 'connected'> {
  const text = fragments(error).join(' ');
  if (EXPIRED.test(text)) return 'expired';
  if (UNREACHABLE.test(text)) return 'unreachable';
  return 'error';
}

/** A one-line reason for a failed connection, without stack traces. */
export function shortReason(error: unknown): string {
  const { errorCode, message } = describe(error);
  const line = message.split('\n')[0] ?? message;
  const text = errorCode && !line.includes(errorCode) ? `${errorCode}: ${line}` : line;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** What the user can do about a connection that failed this way. */
export function connectionHint(error: unknown, org: { alias?: string; username: string }): string {
  const name = org.alias ?? org.username;
  switch (classifyConnectionError(error)) {
    case 'expired':
      return `The org's session has expired: log in again (sf org login web --alias ${name}), then retry.`;
    case 'unreachable':
      return `The org did not answer: check the network and the org's instance URL (sf org display --target-org ${name}).`;
    default:
      return 'Check the org with list_all_orgs and checkConnection: true.';
  }
}
