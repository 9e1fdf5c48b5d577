import { matchesGlob } from 'node:path';
import { ToolError, excerpt, z } from '@sfmcp/plugin-api';

/** Code Analyzer's severity levels, by number. */
export const SEVERITIES = ['Critical', 'High', 'Moderate', 'Low', 'Info'] as const;
export type SeverityName = (typeof SEVERITIES)[number];

export function severityName(level: number): SeverityName {
  return SEVERITIES[Math.min(Math.max(Math.round(level), 1), 5) - 1] ?? 'Info';
}

/** The rules Code Analyzer reports an engine failure under, instead of a finding. */
export const ENGINE_ERROR_RULES = new Set(['UninstantiableEngineError', 'UnexpectedEngineError']);

const location = z.object({
  file: z.string().optional(),
  startLine: z.number().optional(),
  startColumn: z.number().optional(),
  endLine: z.number().optional(),
  endColumn: z.number().optional(),
  comment: z.string().optional(),
});

/** Code Analyzer's JSON results format (what `run_code_analyzer` writes), as far as these tools read it. */
export const resultsFileSchema = z.object({
  runDir: z.string().optional(),
  violationCounts: z.record(z.string(), z.number()).optional(),
  versions: z.record(z.string(), z.string()).optional(),
  violations: z.array(
    z.object({
      rule: z.string(),
      engine: z.string(),
      severity: z.number(),
      tags: z.array(z.string()).default([]),
      primaryLocationIndex: z.number().default(0),
      locations: z.array(location).default([]),
      message: z.string(),
      resources: z.array(z.string()).default([]),
    }),
  ),
});
export type ResultsFile = z.output<typeof resultsFileSchema>;

/** One violation, flat, as the tables and structured results show it. */
export interface Finding {
  severity: SeverityName;
  engine: string;
  rule: string;
  file: string;
  line?: number;
  message: string;
  tags: string[];
}

/** A finding as results show it (tags left out: they are in the results file). */
export const findingSchema = z.object({
  severity: z.string(),
  engine: z.string(),
  rule: z.string(),
  file: z.string(),
  line: z.number().optional(),
  message: z.string(),
});

export function shownFinding({ tags: _tags, ...shown }: Finding): z.output<typeof findingSchema> {
  return shown;
}

export const FINDING_COLUMNS = ['severity', 'file', 'line', 'rule', 'engine', 'message'] as const;

/** The JSON text of a results file, checked. */
export function parseResults(text: string, shownPath: string): ResultsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ToolError(`${shownPath} is not JSON.`, 'Pass the .json results file run_code_analyzer wrote.', {
      kind: 'invalid',
    });
  }
  const parsed = resultsFileSchema.safeParse(data);
  if (!parsed.success)
    throw new ToolError(
      `${shownPath} is not a Code Analyzer JSON results file.`,
      'Pass the .json results file run_code_analyzer wrote.',
      { kind: 'invalid' },
    );
  return parsed.data;
}

/** Flat findings, with messages on one line of at most 300 characters. */
export function findingsOf(results: ResultsFile): Finding[] {
  return results.violations.map((violation) => {
    const primary = violation.locations[violation.primaryLocationIndex] ?? violation.locations[0];
    const file = (primary?.file ?? '').replace(/\\/g, '/').replace(/^\//, '');
    return {
      severity: severityName(violation.severity),
      engine: violation.engine,
      rule: violation.rule,
      file,
      ...(primary?.startLine !== undefined ? { line: primary.startLine } : {}),
      message: excerpt(violation.message.replace(/\s+/g, ' ').trim(), 300),
      tags: violation.tags,
    };
  });
}

export type SortKey = 'severity' | 'rule' | 'engine' | 'file' | 'line';

export function sortFindings(findings: Finding[], by: SortKey, direction: 'asc' | 'desc'): Finding[] {
  const rank = (finding: Finding) => SEVERITIES.indexOf(finding.severity);
  const keys: Record<SortKey, (a: Finding, b: Finding) => number> = {
    severity: (a, b) => rank(a) - rank(b),
    rule: (a, b) => a.rule.localeCompare(b.rule),
    engine: (a, b) => a.engine.localeCompare(b.engine),
    file: (a, b) => a.file.localeCompare(b.file),
    line: (a, b) => (a.line ?? 0) - (b.line ?? 0),
  };
  // Ties fall back to severity, then file and line, so the order is stable and readable.
  const order: SortKey[] = [by, 'severity', 'file', 'line', 'rule'];
  const sign = direction === 'desc' ? -1 : 1;
  return [...findings].sort((a, b) => {
    const first = keys[by](a, b);
    if (first !== 0) return sign * first;
    for (const key of order.slice(1)) {
      const next = keys[key](a, b);
      if (next !== 0) return next;
    }
    return 0;
  });
}

/**
 * A selector in Code Analyzer's rule-selector syntax: `,` is "or", `:` is "and", parentheses group; each word is
 * tested by `word`. Case does not matter.
 */
export function parseSelector<Item>(
  selector: string,
  word: (word: string) => (item: Item) => boolean,
): (item: Item) => boolean {
  const source = selector.trim();
  let index = 0;
  const fail = (why: string): never => {
    throw new ToolError(
      `The selector ${JSON.stringify(excerpt(source))} is not valid: ${why}.`,
      SELECTOR_HINT,
      {
        kind: 'invalid',
      },
    );
  };
  type Match = (item: Item) => boolean;
  const skipSpaces = () => {
    while (source[index] === ' ') index++;
  };
  const parseOr = (): Match => {
    const parts = [parseAnd()];
    while (source[index] === ',') {
      index++;
      parts.push(parseAnd());
    }
    return (item) => parts.some((part) => part(item));
  };
  const parseAnd = (): Match => {
    const parts = [parseTerm()];
    while (source[index] === ':') {
      index++;
      parts.push(parseTerm());
    }
    return (item) => parts.every((part) => part(item));
  };
  const parseTerm = (): Match => {
    skipSpaces();
    if (source[index] === '(') {
      index++;
      const inner = parseOr();
      skipSpaces();
      if (source[index] !== ')') fail('a parenthesis is not closed');
      index++;
      skipSpaces();
      return inner;
    }
    const start = index;
    while (index < source.length && !',:()'.includes(source[index]!)) index++;
    const text = source.slice(start, index).trim();
    if (text === '') fail('an empty term');
    return word(text);
  };
  if (source === '') fail('it is empty');
  const match = parseOr();
  if (index < source.length) fail(`unexpected ${JSON.stringify(source[index])}`);
  return match;
}

/**
 * A selector over findings: each word matches a severity (name or 1–5), an engine, a rule, a tag, or a file (a
 * glob, or the end of its path); `all` matches everything.
 */
export function findingMatcher(selector: string): (finding: Finding) => boolean {
  return parseSelector(selector, wordMatcher);
}

export const SELECTOR_HINT =
  'Use words for severity (Critical…Info or 1–5), engine, rule, tag or file glob; "," for or, ":" for and, e.g. "pmd:(Critical,High)" or "all".';

function wordMatcher(word: string): (finding: Finding) => boolean {
  const lower = word.toLowerCase();
  if (lower === 'all' || lower === '*') return () => true;
  const severity = /^[1-5]$/.test(lower)
    ? SEVERITIES[Number(lower) - 1]
    : SEVERITIES.find((name) => name.toLowerCase() === lower);
  const isPath = /[/*?[\]{}]/.test(word) || /\.[a-z0-9-]+$/i.test(word);
  return (finding) => {
    if (severity && finding.severity === severity) return true;
    if (finding.engine.toLowerCase() === lower || finding.rule.toLowerCase() === lower) return true;
    if (finding.tags.some((tag) => tag.toLowerCase() === lower)) return true;
    if (isPath) {
      const file = finding.file.toLowerCase();
      if (file === lower || file.endsWith(`/${lower}`)) return true;
      try {
        if (matchesGlob(file, lower)) return true;
      } catch {
        return false;
      }
    }
    return false;
  };
}

/** Counts of findings by severity (every level, in order) and by engine (largest first). */
export function countFindings(findings: readonly Finding[]): {
  bySeverity: Record<SeverityName, number>;
  byEngine: Record<string, number>;
} {
  const bySeverity = Object.fromEntries(SEVERITIES.map((name) => [name, 0])) as Record<SeverityName, number>;
  const engines = new Map<string, number>();
  for (const finding of findings) {
    bySeverity[finding.severity]++;
    engines.set(finding.engine, (engines.get(finding.engine) ?? 0) + 1);
  }
  const byEngine = Object.fromEntries([...engines].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  return { bySeverity, byEngine };
}

export function countsLine(counts: ReturnType<typeof countFindings>): string {
  const severity = SEVERITIES.map((name) => `${name} ${counts.bySeverity[name]}`).join(', ');
  const engines = Object.entries(counts.byEngine)
    .map(([engine, count]) => `${engine} ${count}`)
    .join(', ');
  return `By severity: ${severity}\nBy engine: ${engines || 'none'}`;
}
