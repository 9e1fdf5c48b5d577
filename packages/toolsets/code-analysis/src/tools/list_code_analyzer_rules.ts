import {
  budgetAfter,
  cursorArgument,
  defineTool,
  excerpt,
  formatTable,
  formatTableRow,
  pageWithinBudget,
  projectIfAny,
  toolResult,
  z,
} from '@sfmcp/plugin-api';
import { severityName } from '../lib/results.js';
import { byEngineAndName, ruleCatalog, ruleMatcher, skippedNotes } from '../lib/rules.js';
import type { RuleInfo } from '../lib/run.js';

/** Without allowFullList, a listing stops at this many rules. */
const SHORT_LIST = 100;
const COLUMNS = ['name', 'engine', 'severity', 'tags'] as const;

const ruleRow = z.object({
  name: z.string(),
  engine: z.string(),
  severity: z.string(),
  tags: z.array(z.string()),
});

export const listCodeAnalyzerRules = defineTool({
  name: 'list_code_analyzer_rules',
  title: 'List Code Analyzer rules',
  description:
    "Lists Code Analyzer rules matching a selector (engine, severity, tag or rule; ',' or, ':' and), the project's custom rules included.",
  input: z.object({
    selector: z.string().min(1).max(1_000).describe('e.g. "pmd:Security", "all"'),
    allowFullList: z.boolean().optional().describe(`Over ${SHORT_LIST} rules`),
    cursor: cursorArgument,
  }),
  output: z.object({
    matched: z.number(),
    rules: z.array(ruleRow),
    nextCursor: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    const matches = ruleMatcher(input.selector);
    const catalog = await ruleCatalog(await projectIfAny(ctx), process.cwd(), ctx.signal);
    const matched = catalog.rules.filter(matches).sort(byEngineAndName);
    const listed = input.allowFullList ? matched : matched.slice(0, SHORT_LIST);
    const rows = listed.map(rowOf);
    const notes = skippedNotes(catalog.skipped);
    const head = `${matched.length} rules match ${JSON.stringify(excerpt(input.selector, 200))}.`;
    const page = pageWithinBudget(ctx, rows, {
      ...(input.cursor !== undefined ? { cursor: input.cursor } : {}),
      binding: {
        listing: {
          selector: input.selector,
          full: Boolean(input.allowFullList),
          config: catalog.configPath ?? '',
        },
      },
      sizeOf: (row) =>
        Buffer.byteLength(formatTableRow(row, COLUMNS)) + Buffer.byteLength(JSON.stringify(row)),
      budget: budgetAfter(ctx, head, ...notes),
    });
    const cut = matched.length - listed.length;
    const text = [
      head,
      ...notes,
      ...(page.items.length ? [formatTable(page.items, COLUMNS)] : []),
      ...(page.nextCursor ? [`More: pass cursor ${page.nextCursor}`] : []),
      ...(cut > 0 ? [`${cut} more not listed: pass allowFullList: true, or narrow the selector.`] : []),
    ].join('\n');
    return toolResult({
      text,
      structured: {
        matched: matched.length,
        rules: page.items,
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      },
    });
  },
});

function rowOf(rule: RuleInfo) {
  return {
    name: rule.name,
    engine: rule.engine,
    severity: `${rule.severity} ${severityName(rule.severity)}`,
    tags: rule.tags,
  };
}
