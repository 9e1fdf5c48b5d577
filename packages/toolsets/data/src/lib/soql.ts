import type { Query } from '@jetstreamapp/soql-parser-js';
import { type OrgHandle, ToolError, excerpt, toToolError, isSalesforceError } from '@sfmcp/plugin-api';
import { describeGlobal, describeObject } from './describes.js';
import { didYouMean } from './suggest.js';
import { HINTS } from './hints.js';

export interface ParsedSoql {
  /** The object after FROM. */
  sObject: string;
  /** The columns the org will return, in query order (aggregates as their alias or exprN). */
  columns: string[];
  parsed: Query;
}

const TOKEN_NAMES: Record<string, string> = {
  L_PAREN: '(',
  R_PAREN: ')',
  COMMA: ',',
  Identifier: 'a name',
  DECIMAL: 'a number',
  UNSIGNED_INTEGER: 'a number',
  STRING_IDENTIFIER: 'a string',
};

/** Index of the first occurrence of `image` outside quoted strings, or -1. */
function findOutsideQuotes(query: string, image: string): number {
  let quoted = false;
  for (let index = 0; index < query.length; index++) {
    const char = query[index];
    if (char === '\\' && quoted) {
      index++;
      continue;
    }
    if (char === "'") quoted = !quoted;
    if (!quoted && query.startsWith(image, index)) return index;
  }
  return -1;
}

function pointAt(query: string, offset: number): string {
  const before = query.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = query.indexOf('\n', offset);
  const text = query.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const column = offset - lineStart + 1;
  // A long line is shown around the place only, so the caret stays under it.
  const from = Math.max(0, column - 1 - POINT_CONTEXT);
  const to = Math.min(text.length, column - 1 + POINT_CONTEXT);
  const shown = `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
  const caret = column - 1 - from + (from > 0 ? 1 : 0);
  return `at line ${line}, column ${column}:\n${shown}\n${' '.repeat(caret)}^`;
}

/** Characters shown either side of the place a query went wrong. */
const POINT_CONTEXT = 80;

/** Turns soql-parser-js (chevrotain) messages into one short line with the place it went wrong. */
export function describeSyntaxError(query: string, message: string): string {
  const found = /but found(?::| -->) '([^']*)'/.exec(message)?.[1];
  let expected = /Expecting token of type --> (\S+) <--/.exec(message)?.[1];
  if (!expected) {
    const tokens = [...message.matchAll(/\[([A-Za-z_]+)\]/g)].map(
      (match) => TOKEN_NAMES[match[1]!] ?? match[1]!,
    );
    const unique = [...new Set(tokens)];
    if (unique.length)
      expected = `one of ${unique.slice(0, 8).join(', ')}${unique.length > 8 ? ` (+${unique.length - 8} more)` : ''}`;
  } else expected = TOKEN_NAMES[expected] ?? expected;
  if (found === undefined || expected === undefined) return message.split('\n')[0] ?? message;
  const trimmed = query.trimEnd();
  const offset = found === '' ? trimmed.length : findOutsideQuotes(query, found);
  const what =
    found === ''
      ? `the query ends where ${expected} was expected`
      : `expected ${expected} but found '${excerpt(found)}'`;
  return offset >= 0 ? `${what}, ${pointAt(found === '' ? trimmed : query, offset)}` : what;
}

function columnsOf(parsed: Query): string[] {
  const columns: string[] = [];
  let expression = 0;
  for (const field of parsed.fields ?? []) {
    switch (field.type) {
      case 'Field':
        columns.push(field.alias ?? field.field);
        break;
      case 'FieldRelationship':
        columns.push(
          ('alias' in field ? field.alias : undefined) ??
            field.rawValue ??
            [...field.relationships, field.field].join('.'),
        );
        break;
      case 'FieldSubquery':
        columns.push(field.subquery.relationshipName);
        break;
      case 'FieldFunctionExpression':
        if (field.alias) columns.push(field.alias);
        else if (field.isAggregateFn) columns.push(`expr${expression++}`);
        else if (field.functionName.toUpperCase() !== 'FIELDS') {
          const parameter = field.parameters?.[0];
          if (typeof parameter === 'string') columns.push(parameter);
        }
        break;
      case 'FieldTypeof':
        columns.push(field.field);
        break;
      default:
        break;
    }
  }
  return columns;
}

/** Queries parsed lately (a page after page continues the same query); at most 100, oldest out first. */
const parsedQueries = new Map<string, ParsedSoql>();

/**
 * Parses SOQL before it is sent, so a syntax error is reported precisely without a round trip.
 * Throws a ToolError naming the place and what was expected.
 */
export async function parseSoql(query: string): Promise<ParsedSoql> {
  const known = parsedQueries.get(query);
  if (known) return known;
  // No SOQL holds raw control characters (string literals escape them: \n, \t); refusing them up front also
  // spares the parser, whose error recovery is slow on long runs of them.
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(query);
  if (control) {
    throw new ToolError(
      `SOQL syntax error: a control character (U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}) at position ${control.index + 1}.`,
      'Remove it; in a string literal write \\n, \\t or \\r instead. Nothing was sent to the org.',
      { kind: 'invalid' },
    );
  }
  const { parseQuery } = await import('@jetstreamapp/soql-parser-js');
  let parsed: Query;
  try {
    parsed = parseQuery(query);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ToolError(
      `SOQL syntax error: ${describeSyntaxError(query, message)}`,
      'Fix the query and call again; nothing was sent to the org.',
    );
  }
  const result = { sObject: parsed.sObject ?? '', columns: columnsOf(parsed), parsed };
  parsedQueries.set(query, result);
  if (parsedQueries.size > 100) parsedQueries.delete(parsedQueries.keys().next().value as string);
  return result;
}

/**
 * A ToolError for a failed query: Salesforce's errorCode and message, plus "did you mean" names from
 * the org's describe when a field, relationship or object is unknown.
 */
export async function queryError(
  org: OrgHandle,
  error: unknown,
  parsed: ParsedSoql | undefined,
  options: { tooling?: boolean } = {},
): Promise<unknown> {
  if (!isSalesforceError(error)) return toToolError(error, { hints: HINTS });
  let suggestion = '';
  try {
    const message = error.message;
    if (error.errorCode === 'INVALID_TYPE') {
      const name = /sObject type '([^']+)'/.exec(message)?.[1];
      if (name) {
        const global = await describeGlobal(org, options);
        suggestion = didYouMean(
          name,
          global.sobjects.map((sobject) => sobject.name),
        );
      }
    } else if (error.errorCode === 'INVALID_FIELD') {
      const column = /No such column '([^']+)' on entity '([^']+)'/.exec(message);
      const relationship = /Didn't understand relationship '([^']+)'/.exec(message);
      if (column) {
        const describe = await describeObject(org, column[2]!, options);
        suggestion = didYouMean(
          column[1]!,
          describe.fields.flatMap((field) => [
            field.name,
            ...(field.relationshipName ? [field.relationshipName] : []),
          ]),
        );
      } else if (relationship && parsed?.sObject) {
        const describe = await describeObject(org, parsed.sObject, options);
        suggestion = didYouMean(relationship[1]!, [
          ...describe.fields.flatMap((field) => (field.relationshipName ? [field.relationshipName] : [])),
          ...describe.childRelationships.flatMap((child) =>
            child.relationshipName ? [child.relationshipName] : [],
          ),
        ]);
      }
    }
  } catch {
    // No suggestion: the describe failed too; the org's own message still goes back.
  }
  const base = toToolError(error, { hints: HINTS });
  if (!(base instanceof ToolError) || !suggestion) return base;
  return new ToolError(`${base.message}${suggestion}`, base.hint);
}
