import { createHash } from 'node:crypto';

/** Canonical JSON (sorted keys, undefined left out) so equal values digest equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function digestValue(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url');
}

/** The digest of a call's arguments (without its confirmation token): what a token and the audit log bind to. */
export function digestArguments(tool: string, args: Record<string, unknown>): string {
  const { confirmationToken: _token, ...rest } = args;
  return createHash('sha256')
    .update(`${tool}\n${canonicalJson(rest)}`)
    .digest('hex');
}
