import { SalesforceApiError } from '../errors.js';

/**
 * Salesforce prefixes query errors with the offending row of the query, a caret under the
 * column, and `ERROR at Row:r:Column:c`; clients print the message as they get it.
 */
export function positionedMessage(source: string, offset: number, text: string): string {
  const clamped = Math.max(0, Math.min(offset, source.length));
  const before = source.slice(0, clamped);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = source.indexOf('\n', lineStart);
  const line = source.slice(lineStart, lineEnd === -1 ? source.length : lineEnd);
  const column = clamped - lineStart + 1;
  return `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${text}`;
}

/** Offset of `token` as a whole word in `source` (case-insensitive), searching from `from`; 0 when absent. */
export function locate(source: string, token: string, from = 0): number {
  if (!token) return 0;
  // A plain scan, not a RegExp built from the token: a token of any length (90,000 characters) works.
  const haystack = source.toLowerCase();
  const needle = token.toLowerCase();
  const isWordChar = (char: string | undefined) => char !== undefined && /[A-Za-z0-9_]/.test(char);
  for (
    let index = haystack.indexOf(needle, from);
    index !== -1;
    index = haystack.indexOf(needle, index + 1)
  ) {
    if (!isWordChar(haystack[index - 1]) && !isWordChar(haystack[index + needle.length])) return index;
  }
  return from > 0 ? locate(source, token, 0) : 0;
}

export class QueryErrors {
  /** `malformedCode` is MALFORMED_QUERY for SOQL and MALFORMED_SEARCH for SOSL. */
  constructor(
    readonly source: string,
    readonly malformedCode = 'MALFORMED_QUERY',
  ) {}

  at(token: string, code: string, text: string, status = 400): SalesforceApiError {
    return new SalesforceApiError(
      status,
      code,
      positionedMessage(this.source, locate(this.source, token), text),
    );
  }

  malformed(token: string, text: string): SalesforceApiError {
    return this.at(token, this.malformedCode, text);
  }

  unsupported(token: string, feature: string): SalesforceApiError {
    return this.at(
      token,
      this.malformedCode,
      `${feature} is not supported by the local org (a test double of Salesforce)`,
    );
  }

  noSuchColumn(token: string, field: string, entity: string): SalesforceApiError {
    return this.at(
      token,
      'INVALID_FIELD',
      `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }

  unknownRelationshipInPath(token: string, relationship: string): SalesforceApiError {
    return this.at(
      token,
      'INVALID_FIELD',
      `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }

  unknownChildRelationship(token: string, relationship: string): SalesforceApiError {
    return this.at(
      token,
      'INVALID_TYPE',
      `Didn't understand relationship '${relationship}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }

  unknownObject(token: string): SalesforceApiError {
    return this.at(token, 'INVALID_TYPE', unsupportedObjectText(token));
  }
}

export function unsupportedObjectText(name: string): string {
  return `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`;
}
