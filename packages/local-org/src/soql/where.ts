import type {
  ConditionWithValueQuery,
  HavingClause,
  LiteralType,
  NegationCondition,
  Operator,
  Query,
  WhereClause,
} from '@jetstreamapp/soql-parser-js';
import { SalesforceApiError } from '../errors.js';
import type { FieldDef } from '../state/types.js';
import type { QueryErrors } from './errors.js';
import { dateLiteralRange, wallToUtc } from './dates.js';
import {
  formatDate,
  isIdShaped,
  multiParts,
  normalize,
  datetimeMs,
  to18,
  type Normalized,
  type ValueKind,
} from './values.js';

/** The left side of a condition: a field, a field through relationships, a date function or an aggregate. */
export interface Operand<S> {
  readonly kind: ValueKind;
  /** The field behind it, when there is one (picklists sort in their defined order). */
  readonly field?: FieldDef | undefined;
  /** Name used in error texts (`Name`, `Account.Name`, `COUNT(Id)`). */
  readonly label: string;
  /** The raw value of the subject (a record for WHERE, a group for HAVING). */
  get(subject: S): unknown;
}

export interface ConditionContext<S> {
  readonly errors: QueryErrors;
  readonly now: Date;
  /** The running user's time zone: date literals are whole days there. */
  readonly timeZone: string;
  operand(condition: LeafCondition): Operand<S>;
  /** The ids a semi-join or anti-join subquery selects, normalized to 18 characters. */
  semiJoin(query: Query, field: string): Set<string>;
}

export type Predicate<S> = (subject: S) => boolean;

/** A comparison (field or function, operator, value or subquery); the parser's NegationCondition only carries parentheses. */
export type LeafCondition = Exclude<ConditionWithValueQuery, NegationCondition>;

type Token = { type: '(' | ')' | 'AND' | 'OR' | 'NOT' } | { type: 'condition'; condition: LeafCondition };

type Clause = WhereClause | HavingClause;

function isCondition(left: unknown): left is LeafCondition {
  return typeof left === 'object' && left !== null && ('field' in left || 'fn' in left);
}

/** soql-parser-js flattens a WHERE into a right-leaning chain with paren counts; rebuild the token stream. */
function tokenize(clause: Clause): Token[] {
  const tokens: Token[] = [];
  let node: Clause | undefined = clause;
  while (node) {
    const left = node.left as (ConditionWithValueQuery & { openParen?: number; closeParen?: number }) | null;
    const operator = 'operator' in node ? node.operator : undefined;
    if (left) {
      for (let i = 0; i < (left.openParen ?? 0); i++) tokens.push({ type: '(' });
      if (isCondition(left)) {
        tokens.push({ type: 'condition', condition: left });
        for (let i = 0; i < (left.closeParen ?? 0); i++) tokens.push({ type: ')' });
      }
    }
    if (operator) tokens.push({ type: operator });
    node = 'right' in node ? (node.right as Clause | undefined) : undefined;
  }
  return tokens;
}

export function compileClause<S>(clause: Clause, context: ConditionContext<S>): Predicate<S> {
  const tokens = tokenize(clause);
  let position = 0;

  const fail = (token: Token | undefined): never => {
    const image =
      token === undefined
        ? '<EOF>'
        : token.type === 'condition'
          ? conditionLabel(token.condition)
          : token.type;
    throw context.errors.malformed(
      image,
      `unexpected token: ${token === undefined ? '<EOF>' : `'${image}'`}`,
    );
  };

  const parseUnary = (): Predicate<S> => {
    const token = tokens[position];
    if (!token) return fail(token);
    if (token.type === 'NOT') {
      position++;
      const inner = parseUnary();
      return (subject) => !inner(subject);
    }
    if (token.type === '(') {
      position++;
      const inner = parseSequence();
      if (tokens[position]?.type !== ')') return fail(tokens[position]);
      position++;
      return inner;
    }
    if (token.type === 'condition') {
      position++;
      return compileCondition(token.condition, context);
    }
    return fail(token);
  };

  // SOQL has no precedence between AND and OR: mixing them needs parentheses.
  const parseSequence = (): Predicate<S> => {
    const parts = [parseUnary()];
    let joiner: 'AND' | 'OR' | undefined;
    for (
      let token = tokens[position];
      token && (token.type === 'AND' || token.type === 'OR');
      token = tokens[position]
    ) {
      if (joiner && joiner !== token.type) fail(token);
      joiner = token.type;
      position++;
      parts.push(parseUnary());
    }
    if (parts.length === 1) return parts[0] as Predicate<S>;
    if (joiner === 'AND') {
      return (subject) => {
        for (const part of parts) if (!part(subject)) return false;
        return true;
      };
    }
    return (subject) => {
      for (const part of parts) if (part(subject)) return true;
      return false;
    };
  };

  const predicate = parseSequence();
  if (position < tokens.length) fail(tokens[position]);
  return predicate;
}

function conditionLabel(condition: LeafCondition): string {
  if ('field' in condition) return condition.field;
  return condition.fn.rawValue ?? condition.fn.functionName ?? '';
}

/** A literal from the query, ready to compare with normalized values of the operand's kind; date literals are ranges. */
type Literal = { range: [start: string | number, end: string | number] } | { value: Normalized; raw: string };

const TYPE_NAMES: Record<ValueKind, string> = {
  text: 'string',
  id: 'id',
  number: 'double',
  boolean: 'boolean',
  date: 'date',
  datetime: 'dateTime',
  time: 'time',
  multi: 'string',
  opaque: 'string',
};

const NUMBER_TYPE_NAMES: Partial<Record<string, string>> = {
  int: 'integer',
  long: 'long',
  double: 'double',
  currency: 'currency',
  percent: 'percent',
};

/** The type a filter value must have, as Salesforce names it in its errors. */
function typeName<S>(operand: Operand<S>): string {
  if (operand.kind === 'number' && operand.field) return NUMBER_TYPE_NAMES[operand.field.type] ?? 'double';
  return TYPE_NAMES[operand.kind];
}

export function unescapeString(quoted: string, forLike = false): string {
  const body =
    quoted.startsWith("'") && quoted.endsWith("'") && quoted.length >= 2 ? quoted.slice(1, -1) : quoted;
  return body.replace(/\\(.)/g, (_whole, ch: string) => {
    switch (ch) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      // LIKE keeps \% and \_ escaped; the LIKE compiler reads them.
      case '%':
      case '_':
        return `\\${ch}`;
      // In a LIKE pattern a backslash is the compiler's escape too: a literal one stays escaped.
      case '\\':
        return forLike ? '\\\\' : ch;
      default:
        return ch;
    }
  });
}

function literalOf<S>(
  operand: Operand<S>,
  raw: string,
  literalType: LiteralType | undefined,
  dateN: number | undefined,
  errors: QueryErrors,
  now: Date,
  timeZone: string,
): Literal {
  const kind = operand.kind;
  const wrongType = (quoted: boolean): SalesforceApiError =>
    errors.at(
      raw,
      'INVALID_FIELD',
      `value of filter criterion for field '${operand.label}' must be of type ${typeName(operand)} and should ${quoted ? 'not ' : ''}be enclosed in quotes`,
    );
  switch (literalType) {
    case 'NULL':
      // On a checkbox, null means false (Salesforce documents `= null` as `= false`).
      return { value: kind === 'boolean' ? false : null, raw };
    case 'STRING': {
      const text = unescapeString(raw);
      // Salesforce stores an empty text as null, so `= ''` finds the empty ones.
      if ((kind === 'text' || kind === 'multi' || kind === 'time') && text === '')
        return { value: null, raw: text };
      if (kind === 'text' || kind === 'multi' || kind === 'time')
        return { value: kind === 'time' ? text : text.toLowerCase(), raw: text };
      if (kind === 'id') {
        if (!isIdShaped(text))
          throw errors.at(raw, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${text}`);
        return { value: to18(text), raw: text };
      }
      throw wrongType(true);
    }
    case 'INTEGER':
    case 'DECIMAL':
      if (kind !== 'number') throw wrongType(false);
      return { value: Number(raw), raw };
    case 'BOOLEAN':
      if (kind !== 'boolean') throw wrongType(false);
      return { value: raw.toUpperCase() === 'TRUE', raw };
    case 'DATE':
      if (kind !== 'date') throw wrongType(false);
      return { value: raw, raw };
    case 'DATETIME': {
      if (kind !== 'datetime') throw wrongType(false);
      const ms = datetimeMs(raw);
      if (Number.isNaN(ms))
        throw errors.malformed(raw, `line 1:0 no viable alternative at character '${raw}'`);
      return { value: ms, raw };
    }
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL': {
      if (kind !== 'date' && kind !== 'datetime') throw wrongType(false);
      const name = raw.split(':')[0] as string;
      const range = dateLiteralRange(name, dateN, now, timeZone);
      if (!range) throw errors.unsupported(raw, `The date literal ${name}`);
      // Date fields compare as YYYY-MM-DD; datetimes as the instants the user's midnights fall on.
      if (kind === 'date') return { range: [formatDate(range.start), formatDate(range.end)] };
      return { range: [wallToUtc(range.start, timeZone), wallToUtc(range.end, timeZone)] };
    }
    case 'INTEGER_WITH_CURRENCY_PREFIX':
    case 'DECIMAL_WITH_CURRENCY_PREFIX':
      throw errors.unsupported(raw, 'A currency-prefixed value (multi-currency)');
    case 'APEX_BIND_VARIABLE':
      throw errors.malformed(raw, `unexpected token: '${raw}'`);
    default:
      throw errors.malformed(raw, `unexpected token: '${raw}'`);
  }
}

function likeMatcher(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) {
      source += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

function compare(a: string | number | boolean, b: string | number | boolean): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function matchesLiteral(value: Normalized, literal: Literal): boolean {
  if ('range' in literal) {
    if (value === null) return false;
    const [start, end] = literal.range;
    return (value as string | number) >= start && (value as string | number) < end;
  }
  return value === literal.value;
}

function compileCondition<S>(condition: LeafCondition, context: ConditionContext<S>): Predicate<S> {
  const { errors, now, timeZone } = context;
  const operand = context.operand(condition);
  // `<>` is SOQL's other spelling of `!=`.
  const written = condition.operator.toUpperCase();
  const operator = (written === '<>' ? '!=' : written) as Operator;
  const kind = operand.kind;
  const get = operand.get.bind(operand);
  const valueOf = (subject: S): Normalized => normalize(kind, get(subject));

  if ('valueQuery' in condition && condition.valueQuery) {
    if (operator !== 'IN' && operator !== 'NOT IN')
      throw errors.malformed(operand.label, `unexpected token: '('`);
    if (kind !== 'id') {
      throw errors.at(operand.label, 'INVALID_FIELD', `Invalid field for semi/anti join: ${operand.label}`);
    }
    const ids = context.semiJoin(condition.valueQuery, operand.label);
    return operator === 'IN'
      ? (subject) => {
          const value = valueOf(subject);
          return value !== null && ids.has(value as string);
        }
      : (subject) => {
          const value = valueOf(subject);
          return value === null || !ids.has(value as string);
        };
  }

  const rawValues = 'value' in condition ? condition.value : undefined;
  const literalTypes = 'literalType' in condition ? condition.literalType : undefined;
  const dateNs = 'dateLiteralVariable' in condition ? condition.dateLiteralVariable : undefined;
  const literalAt = (index: number): Literal => {
    const raw = Array.isArray(rawValues) ? (rawValues[index] as string) : (rawValues as string);
    const literalType = Array.isArray(literalTypes) ? literalTypes[index] : literalTypes;
    const dateN = Array.isArray(dateNs) ? dateNs[index] : dateNs;
    return literalOf(operand, raw, literalType as LiteralType | undefined, dateN, errors, now, timeZone);
  };
  const literals = (): Literal[] =>
    Array.isArray(rawValues) ? rawValues.map((_, index) => literalAt(index)) : [literalAt(0)];

  switch (operator) {
    case 'INCLUDES':
    case 'EXCLUDES': {
      if (kind !== 'multi') {
        throw errors.malformed(
          operand.label,
          'includes or excludes operator only valid on multipicklist field',
        );
      }
      const wanted = literals().map((literal) => multiParts(String('raw' in literal ? literal.raw : '')));
      const includes = (subject: S): boolean => {
        const value = get(subject);
        if (value === null || value === undefined || value === '') return false;
        const parts = new Set(multiParts(String(value)));
        return wanted.some((group) => group.length > 0 && group.every((part) => parts.has(part)));
      };
      return operator === 'INCLUDES' ? includes : (subject) => !includes(subject);
    }
    case 'IN':
    case 'NOT IN': {
      const list = literals();
      const plain = new Set<Normalized>();
      const ranges: Literal[] = [];
      for (const literal of list) {
        if ('range' in literal) ranges.push(literal);
        else plain.add(kind === 'multi' ? multiParts(literal.raw).sort().join(';') : literal.value);
      }
      const contains = (subject: S): boolean => {
        let value = valueOf(subject);
        if (kind === 'multi' && value !== null) value = multiParts(String(value)).sort().join(';');
        if (plain.has(value)) return true;
        return ranges.some((range) => matchesLiteral(value, range));
      };
      return operator === 'IN' ? contains : (subject) => !contains(subject);
    }
    case 'LIKE': {
      if (kind === 'id')
        throw errors.at(operand.label, 'INVALID_QUERY_FILTER_OPERATOR', 'invalid operator on id field');
      if (kind !== 'text' && kind !== 'multi') {
        throw errors.at(
          operand.label,
          'INVALID_FIELD',
          `invalid operator on ${TYPE_NAMES[kind]} field: ${operand.label}`,
        );
      }
      const literalType = Array.isArray(literalTypes) ? literalTypes[0] : literalTypes;
      if (literalType !== 'STRING' || typeof rawValues !== 'string') {
        throw errors.at(
          operand.label,
          'INVALID_FIELD',
          `value of filter criterion for field '${operand.label}' must be of type string and should be enclosed in quotes`,
        );
      }
      const raw = rawValues;
      const matcher = likeMatcher(unescapeString(raw, true));
      return (subject) => {
        const value = get(subject);
        return value !== null && value !== undefined && matcher.test(String(value));
      };
    }
    default:
      break;
  }

  const literal = literalAt(0);
  if (kind === 'multi' && !('range' in literal) && (operator === '=' || operator === '!=')) {
    const wanted = literal.value === null ? null : multiParts(literal.raw).sort().join(';');
    const equals = (subject: S): boolean => {
      const value = get(subject);
      const parts =
        value === null || value === undefined || value === ''
          ? null
          : multiParts(String(value)).sort().join(';');
      return parts === wanted;
    };
    return operator === '=' ? equals : (subject) => !equals(subject);
  }
  if ('range' in literal) {
    const [start, end] = literal.range;
    const within = (subject: S): Normalized => valueOf(subject);
    switch (operator) {
      case '=':
        return (subject) => {
          const value = within(subject);
          return value !== null && value >= start && value < end;
        };
      case '!=':
        return (subject) => {
          const value = within(subject);
          return value === null || value < start || value >= end;
        };
      case '<':
        return (subject) => {
          const value = within(subject);
          return value !== null && value < start;
        };
      case '<=':
        return (subject) => {
          const value = within(subject);
          return value !== null && value < end;
        };
      case '>':
        return (subject) => {
          const value = within(subject);
          return value !== null && value >= end;
        };
      case '>=':
        return (subject) => {
          const value = within(subject);
          return value !== null && value >= start;
        };
      default:
        throw errors.malformed(operator, `unexpected token: '${operator}'`);
    }
  }
  const expected = literal.value;
  switch (operator) {
    case '=':
      return (subject) => valueOf(subject) === expected;
    case '!=':
      return (subject) => valueOf(subject) !== expected;
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (expected === null) return () => false;
      if (kind === 'boolean' || kind === 'multi') {
        throw errors.at(
          operand.label,
          'INVALID_FIELD',
          `invalid operator on ${TYPE_NAMES[kind]} field: ${operand.label}`,
        );
      }
      const accept =
        operator === '<'
          ? (c: number) => c < 0
          : operator === '<='
            ? (c: number) => c <= 0
            : operator === '>'
              ? (c: number) => c > 0
              : (c: number) => c >= 0;
      return (subject) => {
        const value = valueOf(subject);
        return value !== null && accept(compare(value, expected));
      };
    }
    default:
      throw errors.malformed(operator, `unexpected token: '${operator}'`);
  }
}
