import { readFile, stat } from 'node:fs/promises';
import { extname, relative } from 'node:path';
import {
  LIMITS,
  ToolError,
  budgetAfter,
  defineTool,
  excerpt,
  formatTable,
  takeWithinBudget,
  toolResult,
  z,
} from '@sfmcp/plugin-api';

/** Apex files larger than this are not Apex Salesforce accepts (1 MB of source per class) — refused, not parsed. */
const MAX_SOURCE_BYTES = 1_000_000;

const kinds = [
  'SOQL_IN_LOOP',
  'DYNAMIC_SOQL_IN_LOOP',
  'SOSL_IN_LOOP',
  'DML_IN_LOOP',
  'DESCRIBE_IN_LOOP',
  'EMAIL_IN_LOOP',
  'ASYNC_IN_LOOP',
  'NESTED_LOOP_OVER_QUERY',
  'UNBOUNDED_QUERY',
  'NON_SELECTIVE_QUERY',
] as const;

const finding = z.object({
  line: z.number(),
  column: z.number(),
  antipattern: z.enum(kinds),
  severity: z.enum(['high', 'medium']),
  method: z.string().optional(),
  code: z.string(),
  detail: z.string(),
  fix: z.string(),
});

export const scanApexClassForAntipatterns = defineTool({
  name: 'scan_apex_class_for_antipatterns',
  title: 'Scan an Apex class for antipatterns',
  description:
    'Apex performance antipatterns in a project class or trigger, from its parse tree: SOQL, SOSL, DML, describe, email and async calls in loops (also via same-file methods), unbounded and non-selective queries, nested loops over query results. Each with line and fix.',
  input: z.object({
    className: z
      .string()
      .min(1)
      .max(LIMITS.name)
      .describe('The class (or inner class) to scan, e.g. AccountService.'),
    apexFilePath: z
      .string()
      .min(1)
      .max(LIMITS.path)
      .describe('Its .cls or .trigger file, relative to the project or absolute inside it.'),
    identifier: z.string().max(LIMITS.name).optional().describe('A name for this scan (default: className).'),
    usernameOrAlias: z
      .string()
      .max(LIMITS.name)
      .optional()
      .describe('Accepted for compatibility; unused: the scan reads the project file, not an org.'),
  }),
  output: z.object({
    identifier: z.string(),
    className: z.string(),
    file: z.string(),
    findings: z.array(finding),
    counts: z.record(z.string(), z.number()),
    syntaxErrors: z.array(z.object({ line: z.number(), column: z.number(), message: z.string() })),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    const project = await ctx.project();
    const path = project.resolve(input.apexFilePath);
    const extension = extname(path).toLowerCase();
    if (extension !== '.cls' && extension !== '.trigger') {
      throw new ToolError(
        `${excerpt(input.apexFilePath)} is not an Apex class or trigger (.cls, .trigger).`,
        undefined,
        { kind: 'invalid' },
      );
    }
    const file = relative(project.root, path);
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new ToolError(`${file} is not a file.`, undefined, { kind: 'invalid' });
      size = info.size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new ToolError(`${file} does not exist.`, undefined, { kind: 'not-found' });
      throw error;
    }
    if (size > MAX_SOURCE_BYTES) {
      throw new ToolError(`${file} is ${size} bytes: larger than Apex allows (1,000,000).`, undefined, {
        kind: 'invalid',
      });
    }
    const source = await readFile(path, 'utf8');
    const { scanApexAntipatterns } = await import('../lib/apex-antipatterns.js');
    const kind = extension === '.trigger' ? 'trigger' : 'class';
    const scan = await scanApexAntipatterns(source, {
      kind,
      ...(kind === 'class' ? { className: input.className } : {}),
    });
    if (kind === 'class' && !scan.classFound) {
      throw new ToolError(
        `${file} declares no class ${excerpt(input.className)}${scan.classNames.length ? ` (it declares ${scan.classNames.slice(0, 5).join(', ')})` : ''}.`,
        'Pass the class the file declares, or the file that declares this class.',
        { kind: 'not-found' },
      );
    }
    const identifier = input.identifier ?? input.className;
    const counts: Record<string, number> = {};
    for (const item of scan.findings) counts[item.antipattern] = (counts[item.antipattern] ?? 0) + 1;

    const lines: string[] = [];
    const summary = Object.entries(counts)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
    lines.push(
      scan.findings.length
        ? `${file}: ${scan.findings.length} antipattern${scan.findings.length === 1 ? '' : 's'} in ${input.className} (${summary}).`
        : `${file}: no antipatterns found in ${input.className}.`,
    );
    if (scan.syntaxErrors.length) {
      const first = scan.syntaxErrors[0];
      lines.push(
        `Warning: ${scan.syntaxErrors.length} syntax error(s), first at line ${first?.line}: ${excerpt(first?.message ?? '', 120)}. Findings may be incomplete.`,
      );
    }
    if (scan.findings.length) {
      // The fix for each kind is written once below the table: rows stay short.
      const rows = scan.findings.map((item) => ({
        line: item.line,
        antipattern: item.antipattern,
        method: item.method ?? '',
        code: item.code,
        detail: item.detail,
      }));
      const fixes = [...new Set(scan.findings.map((item) => item.antipattern))].map(
        (name) => `- ${name}: ${scan.findings.find((item) => item.antipattern === name)?.fix}`,
      );
      const budget = budgetAfter(ctx, ...lines, ...fixes);
      const page = takeWithinBudget(rows, (row) => Buffer.byteLength(JSON.stringify(row)), budget);
      lines.push(formatTable(page.items, ['line', 'antipattern', 'method', 'code', 'detail']));
      if (page.nextOffset !== undefined) {
        lines.push(
          `… ${rows.length - page.nextOffset} more not shown here (all are in the structured content).`,
        );
      }
      lines.push('Fixes:', ...fixes);
    }
    return toolResult({
      text: lines.join('\n'),
      structured: {
        identifier,
        className: input.className,
        file,
        findings: scan.findings,
        counts,
        syntaxErrors: scan.syntaxErrors,
      },
    });
  },
});
