import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import { SalesforceApiError } from '../errors.js';
import type { FieldDef, ObjectDef, OrgState, StoredRecord } from '../state/types.js';
import { positionedMessage, QueryErrors } from './errors.js';
import { selectFromRows } from './engine.js';
import { makeScope } from './scope.js';
import { isVisible } from './resolve.js';
import type { SoqlOptions } from './types.js';

/**
 * SOSL, the subset the local org understands:
 * `FIND {term} [IN ALL|NAME|EMAIL|PHONE|SIDEBAR FIELDS] [RETURNING Object[(fields [WHERE] [ORDER BY] [LIMIT] [OFFSET])], ...] [LIMIT n]`.
 * Terms match whole words case-insensitively, with `*` (any run) and `?` (one character) wildcards,
 * "quoted phrases", and AND / OR / AND NOT between them (words side by side mean AND).
 */

type SearchGroup = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE' | 'SIDEBAR';

interface ReturningSpec {
  objectName: string;
  /** The part between the parentheses, or undefined for a bare object name. */
  body?: string | undefined;
}

interface ParsedSearch {
  term: string;
  group: SearchGroup;
  returning: ReturningSpec[];
  limit?: number | undefined;
}

const DEFAULT_LIMIT = 2000;

class Scanner {
  position = 0;
  constructor(
    readonly text: string,
    readonly errors: QueryErrors,
  ) {}

  skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position] as string)) this.position++;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.position >= this.text.length;
  }

  /** Consumes `word` (case-insensitive, whole word) if it comes next. */
  accept(word: string): boolean {
    this.skipSpace();
    const slice = this.text.slice(this.position, this.position + word.length);
    const after = this.text[this.position + word.length];
    if (slice.toUpperCase() === word.toUpperCase() && (after === undefined || !/[A-Za-z0-9_]/.test(after))) {
      this.position += word.length;
      return true;
    }
    return false;
  }

  acceptChar(ch: string): boolean {
    this.skipSpace();
    if (this.text[this.position] === ch) {
      this.position++;
      return true;
    }
    return false;
  }

  identifier(): string {
    this.skipSpace();
    const match = /^[A-Za-z][A-Za-z0-9_]*/.exec(this.text.slice(this.position));
    if (!match) this.unexpected();
    this.position += (match as RegExpExecArray)[0].length;
    return (match as RegExpExecArray)[0];
  }

  integer(): number {
    this.skipSpace();
    const match = /^\d+/.exec(this.text.slice(this.position));
    if (!match) this.unexpected();
    this.position += (match as RegExpExecArray)[0].length;
    return Number((match as RegExpExecArray)[0]);
  }

  unexpected(): never {
    this.skipSpace();
    const rest = this.text.slice(this.position);
    const token = /^\S+/.exec(rest)?.[0];
    const text =
      token === undefined
        ? 'unexpected token: <EOF>'
        : `unexpected token: '${token.replace(/[(),].*$/, '') || token[0]}'`;
    throw new SalesforceApiError(400, 'MALFORMED_SEARCH', positionedMessage(this.text, this.position, text));
  }

  /** `{...}` with backslash escapes, or `'...'` as Apex writes it; returns the raw term. */
  term(): string {
    this.skipSpace();
    const open = this.text[this.position];
    const close = open === '{' ? '}' : open === "'" ? "'" : undefined;
    if (!close) {
      throw new SalesforceApiError(
        400,
        'MALFORMED_SEARCH',
        positionedMessage(
          this.text,
          this.position,
          'No search term found. The search term must be enclosed in braces.',
        ),
      );
    }
    let term = '';
    let index = this.position + 1;
    for (; index < this.text.length; index++) {
      const ch = this.text[index] as string;
      if (ch === '\\' && index + 1 < this.text.length) {
        term += ch + (this.text[++index] as string);
        continue;
      }
      if (ch === close) break;
      term += ch;
    }
    if (index >= this.text.length) {
      throw new SalesforceApiError(
        400,
        'MALFORMED_SEARCH',
        positionedMessage(this.text, this.position, 'mismatched braces in search term'),
      );
    }
    this.position = index + 1;
    return term;
  }

  /** The text up to the parenthesis that closes one already consumed, skipping quoted strings. */
  parenthesized(): string {
    let depth = 1;
    const start = this.position;
    let quoted = false;
    for (; this.position < this.text.length; this.position++) {
      const ch = this.text[this.position];
      if (quoted) {
        if (ch === '\\') this.position++;
        else if (ch === "'") quoted = false;
        continue;
      }
      if (ch === "'") quoted = true;
      else if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) {
        const body = this.text.slice(start, this.position);
        this.position++;
        return body;
      }
    }
    return this.unexpected();
  }
}

function parseSearch(sosl: string, errors: QueryErrors): ParsedSearch {
  const scanner = new Scanner(sosl, errors);
  if (!scanner.accept('FIND')) scanner.unexpected();
  const term = scanner.term();
  let group: SearchGroup = 'ALL';
  if (scanner.accept('IN')) {
    const name = scanner.identifier().toUpperCase();
    if (!['ALL', 'NAME', 'EMAIL', 'PHONE', 'SIDEBAR'].includes(name)) {
      scanner.position -= name.length;
      scanner.unexpected();
    }
    group = name as SearchGroup;
    if (!scanner.accept('FIELDS')) scanner.unexpected();
  }
  const returning: ReturningSpec[] = [];
  let limit: number | undefined;
  while (!scanner.atEnd()) {
    if (scanner.accept('RETURNING')) {
      do {
        const objectName = scanner.identifier();
        const body = scanner.acceptChar('(') ? scanner.parenthesized() : undefined;
        returning.push({ objectName, body });
      } while (scanner.acceptChar(','));
    } else if (scanner.accept('LIMIT')) {
      limit = scanner.integer();
    } else if (scanner.accept('WITH')) {
      if (scanner.accept('SPELL_CORRECTION')) {
        if (!scanner.acceptChar('=')) scanner.unexpected();
        if (!scanner.accept('TRUE') && !scanner.accept('FALSE')) scanner.unexpected();
      } else {
        throw errors.unsupported('WITH', `WITH ${scanner.identifier()}`);
      }
    } else if (scanner.accept('UPDATE')) {
      throw errors.unsupported('UPDATE', 'UPDATE TRACKING / VIEWSTAT');
    } else {
      scanner.unexpected();
    }
  }
  return { term, group, returning, limit };
}

// ---------------------------------------------------------------- search terms

type TermNode =
  /** A word matches a whole word of a field, a phrase a run of words in one field, a phone its digits. */
  | { type: 'word'; word?: RegExp | undefined; phrase?: RegExp | undefined; phone?: RegExp | undefined }
  | { type: 'and' | 'or'; parts: TermNode[] }
  | { type: 'not'; part: TermNode };

/** One indexed record: its words (lower-cased) and its full texts (for phrases), per searched field. */
interface Indexed {
  words: string[];
  texts: string[];
  digits: string[];
}

function wordPattern(word: string): RegExp {
  let source = '';
  for (const ch of word) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

function phrasePattern(phrase: string): RegExp {
  const words = phrase
    .trim()
    .split(/\s+/)
    .map((word) => wordPattern(word).source.slice(1, -1));
  return new RegExp(`(^|[^\\p{L}\\p{N}])${words.join('[^\\p{L}\\p{N}]+')}($|[^\\p{L}\\p{N}])`, 'iu');
}

function parseTerm(raw: string, errors: QueryErrors): TermNode {
  // Tokens: "phrases", words (keeping * and ?), parentheses; reserved characters may be escaped with a backslash.
  const tokens: string[] = [];
  const text = raw.trim();
  if (text.replace(/[*?"\\()]/g, '').length < 2)
    throw errors.malformed(raw || '{', 'search term must be longer than one character');
  for (let i = 0; i < text.length;) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      tokens.push(ch);
      i++;
      continue;
    }
    if (ch === '"') {
      const end = text.indexOf('"', i + 1);
      if (end === -1) throw errors.malformed('"', 'mismatched quotes in search term');
      tokens.push(text.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    let word = '';
    while (i < text.length && !/[\s()"]/.test(text[i] as string)) {
      if (text[i] === '\\' && i + 1 < text.length) i++;
      word += text[i];
      i++;
    }
    tokens.push(word);
  }
  let position = 0;
  const isOperator = (token: string | undefined, name: string): boolean => token?.toUpperCase() === name;

  const parsePrimary = (): TermNode => {
    const token = tokens[position];
    if (token === undefined || token === ')') throw errors.malformed(raw, 'search term must not be empty');
    position++;
    if (token === '(') {
      const inner = parseOr();
      if (tokens[position] !== ')') throw errors.malformed(raw, 'mismatched parentheses in search term');
      position++;
      return inner;
    }
    if (token.startsWith('"')) return { type: 'word', phrase: phrasePattern(token.slice(1, -1)) };
    const digits = token.replace(/[^0-9*?]/g, '');
    const phone = digits.replace(/[*?]/g, '').length >= 3 ? wordPattern(digits) : undefined;
    // A word with punctuation inside (an email, O'Neil) is matched as written, at word boundaries.
    if (/[^\p{L}\p{N}*?]/u.test(token)) return { type: 'word', phrase: phrasePattern(token), phone };
    return { type: 'word', word: wordPattern(token), phone };
  };

  const parseAnd = (): TermNode => {
    const parts: TermNode[] = [parsePrimary()];
    while (position < tokens.length && tokens[position] !== ')' && !isOperator(tokens[position], 'OR')) {
      if (isOperator(tokens[position], 'AND')) {
        position++;
        if (isOperator(tokens[position], 'NOT')) {
          position++;
          parts.push({ type: 'not', part: parsePrimary() });
          continue;
        }
      } else if (isOperator(tokens[position], 'NOT')) {
        position++;
        parts.push({ type: 'not', part: parsePrimary() });
        continue;
      }
      parts.push(parsePrimary());
    }
    return parts.length === 1 ? (parts[0] as TermNode) : { type: 'and', parts };
  };

  const parseOr = (): TermNode => {
    const parts: TermNode[] = [parseAnd()];
    while (isOperator(tokens[position], 'OR')) {
      position++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? (parts[0] as TermNode) : { type: 'or', parts };
  };

  const node = parseOr();
  if (position < tokens.length) throw errors.malformed(raw, `unexpected token: '${tokens[position] ?? ''}'`);
  return node;
}

function termMatches(node: TermNode, indexed: Indexed): boolean {
  switch (node.type) {
    case 'word':
      return (
        (node.word !== undefined && indexed.words.some((word) => (node.word as RegExp).test(word))) ||
        (node.phrase !== undefined && indexed.texts.some((text) => (node.phrase as RegExp).test(text))) ||
        (node.phone !== undefined && indexed.digits.some((digits) => (node.phone as RegExp).test(digits)))
      );
    case 'and':
      return node.parts.every((part) => termMatches(part, indexed));
    case 'or':
      return node.parts.some((part) => termMatches(part, indexed));
    case 'not':
      return !termMatches(node.part, indexed);
  }
}

const TEXT_TYPES = new Set([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'combobox',
  'picklist',
  'multipicklist',
]);
const NAME_FIELDS = new Set([
  'name',
  'firstname',
  'lastname',
  'middlename',
  'suffix',
  'subject',
  'casenumber',
  'developername',
  'masterlabel',
]);

function searchedFields(object: ObjectDef, group: SearchGroup): FieldDef[] {
  return object.fields.filter((field) => {
    if (!TEXT_TYPES.has(field.type)) return false;
    switch (group) {
      case 'NAME':
        return NAME_FIELDS.has(field.name.toLowerCase());
      case 'EMAIL':
        return field.type === 'email';
      case 'PHONE':
        return field.type === 'phone';
      default:
        return field.type !== 'picklist' && field.type !== 'multipicklist';
    }
  });
}

function indexRecord(row: StoredRecord, fields: FieldDef[]): Indexed {
  const indexed: Indexed = { words: [], texts: [], digits: [] };
  for (const field of fields) {
    const value = row[field.name];
    if (value === null || value === undefined || value === '') continue;
    const text = String(value);
    indexed.texts.push(text);
    const lower = text.toLowerCase();
    // Words, plus the whole value so a term like `jane.doe@example.com` matches an email as written.
    indexed.words.push(lower);
    for (const word of lower.split(/[^\p{L}\p{N}]+/u)) if (word) indexed.words.push(word);
    if (field.type === 'phone') indexed.digits.push(text.replace(/\D/g, ''));
  }
  return indexed;
}

// ---------------------------------------------------------------- entry

export function runSearch(
  sosl: string,
  org: OrgState,
  apiVersion: string,
): { searchRecords: Record<string, unknown>[] } {
  const errors = new QueryErrors(sosl, 'MALFORMED_SEARCH');
  const parsed = parseSearch(sosl, errors);
  const term = parseTerm(parsed.term, errors);
  const options: SoqlOptions = { api: 'data', apiVersion };
  const specs: ReturningSpec[] =
    parsed.returning.length > 0
      ? parsed.returning
      : org.schema
          .listObjects('data')
          .filter((object) => object.searchable && isVisible(object, 'data'))
          .map((object) => ({ objectName: object.name }));

  const limit = parsed.limit ?? DEFAULT_LIMIT;
  const searchRecords: Record<string, unknown>[] = [];
  for (const spec of specs) {
    const object = org.schema.getObject(spec.objectName);
    if (!object || !isVisible(object, 'data') || !object.queryable)
      throw errors.unknownObject(spec.objectName);
    if (!object.searchable) {
      throw errors.at(spec.objectName, 'INVALID_TYPE', `entity type ${object.name} does not support search`);
    }
    const query =
      spec.body === undefined
        ? ({ fields: [{ type: 'Field', field: 'Id' }] } as Query)
        : parseReturning(spec, errors, sosl);
    const scope = makeScope(org, options, errors, object, query.sObjectAlias);
    const fields = searchedFields(object, parsed.group);
    const candidates: StoredRecord[] = [];
    for (const row of org.records.rows(object.name)) {
      if (termMatches(term, indexRecord(row, fields))) candidates.push(row);
    }
    searchRecords.push(...selectFromRows(scope, query, candidates, options));
    if (searchRecords.length >= limit) break;
  }
  return { searchRecords: searchRecords.slice(0, limit) };
}

/** `Account(Id, Name WHERE ... ORDER BY ... LIMIT n)` read with the SOQL parser as `SELECT Id, Name FROM Account WHERE ...`. */
function parseReturning(spec: ReturningSpec, errors: QueryErrors, sosl: string): Query {
  const body = spec.body ?? '';
  const clause = /\b(WHERE|ORDER\s+BY|LIMIT|OFFSET|USING|WITH)\b/i.exec(maskQuoted(body));
  const fieldList = (clause ? body.slice(0, clause.index) : body).trim();
  const rest = clause ? body.slice(clause.index) : '';
  if (!fieldList) throw errors.malformed(spec.objectName, `unexpected token: '('`);
  try {
    return parseQuery(`SELECT ${fieldList} FROM ${spec.objectName} ${rest}`);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const found = /but found:\s*'([^']*)'/.exec(text)?.[1];
    throw new SalesforceApiError(
      400,
      'MALFORMED_SEARCH',
      positionedMessage(
        sosl,
        sosl.indexOf(body),
        found ? `unexpected token: '${found}'` : 'unexpected token: <EOF>',
      ),
    );
  }
}

/** Blanks out quoted strings so clause keywords inside them are not mistaken for clauses. */
function maskQuoted(text: string): string {
  return text.replace(/'(?:[^'\\]|\\.)*'/g, (quoted) => ' '.repeat(quoted.length));
}
