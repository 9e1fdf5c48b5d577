/** What stands in for a value that looks like a secret, in the audit file and in a policy's review preview. */
export const REDACTED = '[redacted]';

// Argument names whose values are secrets whatever they look like.
const SECRET_NAME =
  /pass(word|phrase)?|secret|token|api[-_]?key|private[-_]?key|credential|authorization|session[-_]?id|sfdx[-_]?auth[-_]?url/i;

// Values that are secrets whatever they are called: a Salesforce session id, a bearer header, an SFDX auth
// URL (force://…:refreshToken@host), a JWT, a PEM private key.
const SECRET_VALUES: readonly RegExp[] = [
  /00D[a-zA-Z0-9]{12,15}![\w.]+/g,
  /\b(Bearer|OAuth)\s+[\w.!~+/=-]{16,}/gi,
  /force:\/\/[^\s"']+/g,
  /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b5Aep861[\w.]{20,}/g,
];

function redactText(text: string): string {
  let cleaned = text;
  for (const pattern of SECRET_VALUES) cleaned = cleaned.replace(pattern, REDACTED);
  return cleaned;
}

const MAX_DEPTH = 8;
const MAX_TEXT = 2_000;
const MAX_ITEMS = 50;

/**
 * A call's arguments with secret-looking values replaced (by name or by shape) and long text cut, for the
 * audit file and review previews: what was asked, never a credential. The confirmation token is dropped.
 */
export function redactArguments(args: Record<string, unknown>): Record<string, unknown> {
  const { confirmationToken: _token, ...rest } = args;
  return redactValue(rest, 0) as Record<string, unknown>;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    const cleaned = redactText(value);
    return cleaned.length > MAX_TEXT
      ? `${cleaned.slice(0, MAX_TEXT)}… (${cleaned.length} characters)`
      : cleaned;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => redactValue(item, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `… ${value.length - MAX_ITEMS} more`] : items;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined) continue;
    out[key] =
      SECRET_NAME.test(key) && item !== null && item !== '' ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
}
