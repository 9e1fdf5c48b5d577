import { randomBytes } from 'node:crypto';
import { join, relative } from 'node:path';
import {
  LIMITS,
  ToolError,
  budgetAfter,
  defineTool,
  formatTable,
  formatTableRow,
  takeWithinBudget,
  toolResult,
  z,
} from '@sfmcp/plugin-api';
import { skippedNotes } from '../lib/rules.js';
import { resolveConfig } from '../lib/config.js';
import {
  ENGINE_ERROR_RULES,
  FINDING_COLUMNS,
  type Finding,
  countFindings,
  countsLine,
  findingSchema,
  findingsOf,
  shownFinding,
  parseResults,
  sortFindings,
} from '../lib/results.js';
import { runAnalysis } from '../lib/run.js';
import { RESULTS_FOLDER, resolveTargets, workspaceFiles } from '../lib/targets.js';

/** At most this many violations in the answer's table; the rest are in the results file. */
const TOP = 50;

export const runCodeAnalyzer = defineTool({
  name: 'run_code_analyzer',
  title: 'Run Code Analyzer',
  description:
    'Runs Salesforce Code Analyzer (PMD, CPD, ESLint+LWC, regex, RetireJS, Graph Engine, Flow) on files, folders or globs of the project. Writes JSON and SARIF results there; answers counts and the top violations.',
  input: z.object({
    target: z
      .array(z.string().min(1).max(LIMITS.path))
      .min(1)
      .max(LIMITS.items)
      .describe('Files, folders or globs; ["."]: the whole project'),
    selector: z
      .string()
      .min(1)
      .max(1_000)
      .optional()
      .describe('e.g. "Security", "pmd:High" (default Recommended)'),
    configPath: z
      .string()
      .min(1)
      .max(LIMITS.path)
      .optional()
      .describe('Default: the project’s code-analyzer.yml'),
  }),
  output: z.object({
    resultsFile: z.string(),
    sarifFile: z.string(),
    total: z.number(),
    bySeverity: z.record(z.string(), z.number()),
    byEngine: z.record(z.string(), z.number()),
    /** Engines that could not run here, and engines that failed (the text says why). */
    skipped: z.array(z.string()),
    failed: z.array(z.string()),
    top: z.array(findingSchema),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  changesOrg: false,
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    const project = await ctx.project();
    const configPath = resolveConfig(project, input.configPath);
    const files = await workspaceFiles(project, ctx.signal);
    const targets = resolveTargets(project, input.target, files);
    const selector = input.selector?.trim() || 'Recommended';
    // Before the engines run: a link where the results go is refused at once.
    await project.makeDirectory(RESULTS_FOLDER);

    let lastPercent = -1;
    let lastMessage = '';
    const outcome = await runAnalysis(
      {
        mode: 'run',
        root: project.root,
        ...(configPath ? { configPath } : {}),
        selectors: [selector],
        targets: targets.includes(project.root) ? [] : targets,
      },
      {
        signal: ctx.signal,
        onProgress: (percent, message) => {
          if (percent <= lastPercent && message === lastMessage) return;
          lastPercent = Math.max(lastPercent, percent);
          lastMessage = message;
          ctx.progress(lastPercent, 100, message).catch(() => undefined);
        },
      },
    );
    if (outcome.rules === 0 || outcome.json === undefined || outcome.sarif === undefined)
      throw new ToolError(
        `No rule matches the selector ${JSON.stringify(selector)} among the engines that can run here.`,
        'List the rules with list_code_analyzer_rules, or use a selector such as "Recommended", "Security" or "pmd".',
        { kind: 'not-found' },
      );

    const stamp = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(2).toString('hex')}`;
    const resultsFile = await project.writeFile(join(RESULTS_FOLDER, `results-${stamp}.json`), outcome.json);
    const sarifFile = await project.writeFile(join(RESULTS_FOLDER, `results-${stamp}.sarif`), outcome.sarif);

    const all = findingsOf(parseResults(outcome.json, resultsFile));
    const engineErrors = all
      .filter((finding) => ENGINE_ERROR_RULES.has(finding.rule))
      .map((finding) => ({ engine: finding.engine, message: finding.message }));
    const findings = sortFindings(
      all.filter((finding) => !ENGINE_ERROR_RULES.has(finding.rule)),
      'severity',
      'asc',
    );
    const counts = countFindings(findings);
    const shown = (path: string) => relative(project.root, path);

    const lines = [
      `Code Analyzer: ${findings.length} violation${findings.length === 1 ? '' : 's'} in ${new Set(findings.map((finding) => finding.file)).size} files (${outcome.rules} rules of ${outcome.engines.join(', ')} on ${outcome.targetedFiles} files, selector ${selector}).`,
      countsLine(counts),
    ];
    lines.push(...skippedNotes(outcome.skipped));
    for (const error of engineErrors) lines.push(`${error.engine} failed: ${error.message}`);
    lines.push(`Results: ${shown(resultsFile)} (SARIF: ${shown(sarifFile)})`);
    const head = lines.join('\n');

    const rowOf = (finding: Finding) => ({ ...finding, line: finding.line ?? '' });
    const page = takeWithinBudget(
      findings.slice(0, TOP),
      (finding) =>
        Buffer.byteLength(formatTableRow(rowOf(finding), FINDING_COLUMNS)) +
        Buffer.byteLength(JSON.stringify(finding)),
      budgetAfter(ctx, head),
    );
    const rest = findings.length - page.items.length;
    const text = [
      head,
      ...(page.items.length ? [`Top violations:`, formatTable(page.items.map(rowOf), FINDING_COLUMNS)] : []),
      ...(rest > 0
        ? [
            `${rest} more in the results file: query_code_analyzer_results with resultsFile ${shown(resultsFile)}.`,
          ]
        : []),
    ].join('\n');

    return toolResult({
      text,
      structured: {
        resultsFile,
        sarifFile,
        total: findings.length,
        bySeverity: counts.bySeverity,
        byEngine: counts.byEngine,
        skipped: outcome.skipped.map((entry) => entry.engine),
        failed: engineErrors.map((error) => error.engine),
        top: page.items.map(shownFinding),
      },
    });
  },
});
