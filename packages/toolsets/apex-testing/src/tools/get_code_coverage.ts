import {
  LIMITS,
  cursorArgument,
  defineTool,
  pageWithinBudget,
  toolResult,
  z,
  soqlString,
  salesforceCall,
} from '@sfmcp/plugin-api';
import { lineRanges } from '../lib/lines.js';
import { HINTS } from '../lib/hints.js';

const classCoverage = z.object({
  name: z.string(),
  percentage: z.number(),
  linesCovered: z.number(),
  linesUncovered: z.number(),
  uncoveredLines: z.array(z.number()).optional(),
});

type ClassCoverage = z.infer<typeof classCoverage>;

interface AggregateRecord {
  ApexClassOrTrigger: { Name: string } | null;
  NumLinesCovered: number | null;
  NumLinesUncovered: number | null;
  Coverage?: { coveredLines?: number[]; uncoveredLines?: number[] } | null;
}

function percentage(covered: number, uncovered: number): number {
  const total = covered + uncovered;
  return total === 0 ? 0 : Math.round((covered / total) * 1000) / 10;
}

function rowText(entry: ClassCoverage): string {
  const lines = `${entry.linesCovered}/${entry.linesCovered + entry.linesUncovered}`;
  return `${entry.name} | ${entry.percentage}% | ${lines}${entry.uncoveredLines ? ` | ${lineRanges(entry.uncoveredLines)}` : ''}`;
}

export const getCodeCoverage = defineTool({
  name: 'get_code_coverage',
  title: 'Get Apex code coverage',
  description:
    "Gets the org's Apex code coverage from the tests run so far: org-wide, and per class or trigger (least covered first), with uncovered lines when asked. Run tests first (run_apex_test) for fresh numbers.",
  input: z.object({
    classNames: z
      .array(z.string().min(1).max(LIMITS.name))
      .max(LIMITS.items)
      .optional()
      .describe('Only these classes or triggers; default: all with coverage'),
    showLines: z.boolean().default(false).describe('Also list the uncovered line numbers'),
    cursor: cursorArgument.describe('From a previous result, to continue the list'),
  }),
  output: z.object({
    orgWideCoverage: z.number().optional(),
    classes: z.array(classCoverage),
    total: z.number(),
    nextCursor: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const orgWide = await salesforceCall(
      async () =>
        org.connection.tooling.query<{ PercentCovered: number | null }>(
          'SELECT PercentCovered FROM ApexOrgWideCoverage',
        ),
      { hints: HINTS },
    );
    const where = input.classNames?.length
      ? ` WHERE ApexClassOrTrigger.Name IN (${input.classNames.map(soqlString).join(', ')})`
      : '';
    const fields = `ApexClassOrTrigger.Name, NumLinesCovered, NumLinesUncovered${input.showLines ? ', Coverage' : ''}`;
    const aggregates = await salesforceCall(
      async () =>
        org.connection.tooling.query<AggregateRecord>(
          `SELECT ${fields} FROM ApexCodeCoverageAggregate${where}`,
          {
            autoFetch: true,
            maxFetch: 100_000,
          },
        ),
      { hints: HINTS },
    );
    const classes: ClassCoverage[] = aggregates.records
      .filter((record) => record.ApexClassOrTrigger?.Name)
      .map((record) => {
        const covered = record.NumLinesCovered ?? 0;
        const uncovered = record.NumLinesUncovered ?? 0;
        return {
          name: record.ApexClassOrTrigger?.Name ?? '',
          percentage: percentage(covered, uncovered),
          linesCovered: covered,
          linesUncovered: uncovered,
          ...(input.showLines
            ? { uncoveredLines: [...(record.Coverage?.uncoveredLines ?? [])].sort((a, b) => a - b) }
            : {}),
        };
      })
      .sort((a, b) => a.percentage - b.percentage || a.name.localeCompare(b.name));
    const orgWideCoverage = orgWide.records[0]?.PercentCovered ?? undefined;
    const missing = (input.classNames ?? []).filter(
      (name) => !classes.some((entry) => entry.name.toLowerCase() === name.toLowerCase()),
    );
    const page = pageWithinBudget(ctx, classes, {
      cursor: input.cursor,
      binding: {
        org: org.username,
        listing: {
          classNames: input.classNames?.map((name) => name.toLowerCase()),
          showLines: input.showLines,
        },
      },
      sizeOf: (entry) => Buffer.byteLength(rowText(entry)) + JSON.stringify(entry).length,
    });
    const { offset, nextCursor } = page;
    const lines = [
      `Org-wide coverage: ${orgWideCoverage === undefined || orgWideCoverage === null ? 'unknown (no test run yet)' : `${orgWideCoverage}%`}. ` +
        `${classes.length} classes and triggers with coverage.`,
    ];
    if (missing.length) lines.push(`No coverage recorded for: ${missing.join(', ')}.`);
    if (page.items.length) {
      lines.push(
        '',
        `class | covered | lines${input.showLines ? ' | uncovered lines' : ''}`,
        `--- | --- | ---${input.showLines ? ' | ---' : ''}`,
        ...page.items.map(rowText),
      );
    }
    if (nextCursor) {
      lines.push(
        '',
        `Showing ${offset + 1}-${offset + page.items.length} of ${classes.length}. Continue with cursor: "${nextCursor}".`,
      );
    }
    return toolResult({
      text: lines.join('\n'),
      structured: {
        ...(typeof orgWideCoverage === 'number' ? { orgWideCoverage } : {}),
        classes: page.items,
        total: classes.length,
        ...(nextCursor ? { nextCursor } : {}),
      },
      org,
    });
  },
});
