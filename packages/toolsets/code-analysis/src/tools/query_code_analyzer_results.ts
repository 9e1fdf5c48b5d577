import { stat, readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import {
  LIMITS,
  ToolError,
  budgetAfter,
  cursorArgument,
  defineTool,
  excerpt,
  formatTable,
  formatTableRow,
  pageWithinBudget,
  toolResult,
  z,
} from '@sfmcp/plugin-api';
import {
  ENGINE_ERROR_RULES,
  FINDING_COLUMNS,
  type Finding,
  SELECTOR_HINT,
  countFindings,
  countsLine,
  findingMatcher,
  findingSchema,
  findingsOf,
  shownFinding,
  parseResults,
  sortFindings,
} from '../lib/results.js';
import { resolveInProject } from '../lib/targets.js';

/** Without allowLargeResultSet, a query returns at most this many violations. */
const SMALL_SET = 100;
/** The largest results file read (a whole project's run is a few MB). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

export const queryCodeAnalyzerResults = defineTool({
  name: 'query_code_analyzer_results',
  title: 'Query Code Analyzer results',
  description:
    'Filters a run_code_analyzer JSON results file by severity, engine, rule, tag or file; sorts; returns the top N, paged.',
  input: z.object({
    resultsFile: z.string().min(1).max(LIMITS.path).describe('From run_code_analyzer'),
    selector: z
      .string()
      .min(1)
      .max(1_000)
      .describe('Severity, engine, rule, tag or file glob; "," or, ":" and; "all"'),
    topN: z.number().int().min(1).max(LIMITS.items).optional().describe('Default 10'),
    allowLargeResultSet: z.boolean().optional().describe(`topN over ${SMALL_SET}`),
    sortBy: z.enum(['severity', 'rule', 'engine', 'file', 'line']).optional(),
    sortDirection: z.enum(['asc', 'desc']).optional(),
    cursor: cursorArgument,
  }),
  output: z.object({
    matched: z.number(),
    violations: z.array(findingSchema),
    nextCursor: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    const matcher = findingMatcher(input.selector);
    const topN = input.topN ?? 10;
    if (topN > SMALL_SET && !input.allowLargeResultSet)
      throw new ToolError(
        `topN ${topN} is over ${SMALL_SET}.`,
        'Pass allowLargeResultSet: true, or narrow the selector.',
        { kind: 'invalid' },
      );
    const project = await ctx.project();
    const path = resolveInProject(project, input.resultsFile);
    const shown = relative(project.root, path) || input.resultsFile;
    const stats = await stat(path).catch(() => undefined);
    if (!stats?.isFile())
      throw new ToolError(
        `${JSON.stringify(excerpt(input.resultsFile))} is not a file in the project.`,
        'Pass the resultsFile run_code_analyzer returned.',
        {
          kind: 'not-found',
        },
      );
    if (stats.size > MAX_FILE_BYTES)
      throw new ToolError(`${shown} is over ${MAX_FILE_BYTES / 1024 / 1024} MB.`, undefined, {
        kind: 'invalid',
      });
    const findings = findingsOf(parseResults(await readFile(path, 'utf8'), shown)).filter(
      (finding) => !ENGINE_ERROR_RULES.has(finding.rule),
    );
    const matched = findings.filter(matcher);
    const sorted = sortFindings(matched, input.sortBy ?? 'severity', input.sortDirection ?? 'asc').slice(
      0,
      topN,
    );
    const counts = countFindings(matched);
    const head = [
      `${matched.length} of ${findings.length} violations in ${shown} match ${JSON.stringify(excerpt(input.selector, 200))}.`,
      countsLine(counts),
    ].join('\n');

    const rowOf = (finding: Finding) => ({ ...finding, line: finding.line ?? '' });
    const page = pageWithinBudget(ctx, sorted, {
      ...(input.cursor !== undefined ? { cursor: input.cursor } : {}),
      binding: {
        listing: {
          path,
          mtime: stats.mtimeMs,
          size: stats.size,
          selector: input.selector,
          topN,
          sortBy: input.sortBy ?? 'severity',
          sortDirection: input.sortDirection ?? 'asc',
        },
      },
      sizeOf: (finding) =>
        Buffer.byteLength(formatTableRow(rowOf(finding), FINDING_COLUMNS)) +
        Buffer.byteLength(JSON.stringify(finding)),
      budget: budgetAfter(ctx, head),
    });
    const text = [
      head,
      ...(page.items.length
        ? [
            `Violations ${page.offset + 1}–${page.offset + page.items.length} of ${sorted.length}:`,
            formatTable(page.items.map(rowOf), FINDING_COLUMNS),
          ]
        : matched.length === 0
          ? [`None. ${SELECTOR_HINT}`]
          : []),
      ...(page.nextCursor ? [`More: pass cursor ${page.nextCursor}`] : []),
    ].join('\n');
    return toolResult({
      text,
      structured: {
        matched: matched.length,
        violations: page.items.map(shownFinding),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      },
    });
  },
});
