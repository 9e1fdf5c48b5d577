/** A Salesforce id check (15 or 18 letters and digits), optionally with a key prefix. */
export function isSalesforceId(value: string, prefix?: string): boolean {
  return /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value) && (!prefix || value.startsWith(prefix));
}
