import { basename } from 'node:path';
import {
  LIMITS,
  ToolError,
  type ToolContext,
  defineTool,
  excerpt,
  projectIfAny,
  toolResult,
  z,
} from '@sfmcp/plugin-api';
import {
  type Bundle,
  bundlesAt,
  checkBundleName,
  filesArgument,
  loadBundle,
  readBundle,
} from '../lib/bundle.js';
import type { ValidationReport } from '../lib/validate.js';

/** Bundles a call names: its files, one component by name, every bundle under a path, or the whole project. */
async function bundlesFor(
  ctx: ToolContext,
  input: { path?: string; componentName?: string; files?: unknown },
): Promise<{ bundles: Bundle[]; sourceApiVersion?: string }> {
  if (input.files !== undefined) {
    const project = await projectIfAny(ctx);
    const bundle = await loadBundle(ctx, 'lwc', {
      files: input.files,
      ...(input.componentName !== undefined ? { componentName: input.componentName } : {}),
    });
    return {
      bundles: [bundle],
      ...(project?.sourceApiVersion ? { sourceApiVersion: project.sourceApiVersion } : {}),
    };
  }
  const project = await ctx.project();
  const version = project.sourceApiVersion ? { sourceApiVersion: project.sourceApiVersion } : {};
  if (input.path === undefined && input.componentName !== undefined)
    return { bundles: [await loadBundle(ctx, 'lwc', { componentName: input.componentName })], ...version };

  let dirs: string[];
  if (input.path !== undefined) dirs = await bundlesAt(project, 'lwc', input.path);
  else {
    dirs = [];
    for (const packageDir of project.packageDirectories) {
      try {
        dirs.push(...(await bundlesAt(project, 'lwc', packageDir)));
      } catch (error) {
        if ((error as ToolError).kind !== 'not-found') throw error;
      }
    }
    if (!dirs.length)
      throw new ToolError(
        "No Lightning Web Component bundles in the project's package directories.",
        'Create one with create_lwc_component, or pass path or files.',
        { kind: 'not-found' },
      );
  }
  if (input.componentName !== undefined) {
    const name = checkBundleName('lwc', input.componentName);
    dirs = dirs.filter((dir) => basename(dir) === name);
    if (!dirs.length)
      throw new ToolError(
        `No Lightning Web Component named ${name} under ${JSON.stringify(excerpt(input.path ?? '.'))}.`,
        'Check the name (it is case-sensitive), or leave componentName out to validate every bundle there.',
        { kind: 'not-found' },
      );
  }
  const bundles: Bundle[] = [];
  for (const dir of [...new Set(dirs)]) bundles.push(await readBundle(project, 'lwc', dir));
  return { bundles, ...version };
}

function counts(report: ValidationReport): { errors: number; warnings: number } {
  const errors = report.findings.filter((finding) => finding.severity === 'error').length;
  return { errors, warnings: report.findings.length - errors };
}

/** The reports as compact text within `budget` bytes; findings past it are summarized as counts. */
function reportText(
  reports: ValidationReport[],
  budget: number,
  { formatFinding, readinessLine }: typeof import('../lib/validate.js'),
): string {
  const lines: string[] = [];
  let used = 0;
  const reserve = 600;
  const push = (line: string): boolean => {
    const size = Buffer.byteLength(line) + 1;
    if (used + size > budget - reserve) return false;
    lines.push(line);
    used += size;
    return true;
  };
  const ordered = [...reports].sort((a, b) => a.score - b.score || a.component.localeCompare(b.component));
  const clean = ordered.filter((report) => !report.findings.length);
  const withFindings = ordered.filter((report) => report.findings.length);
  const total = reports.reduce((sum, report) => sum + report.findings.length, 0);
  const errors = reports.reduce((sum, report) => sum + counts(report).errors, 0);
  push(
    `Validated ${reports.length} component${reports.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${total - errors} warning${total - errors === 1 ? '' : 's'}.`,
  );
  let hiddenFindings = 0;
  let hiddenErrors = 0;
  const hiddenComponents = new Set<string>();
  let full = false;
  for (const report of withFindings) {
    const { errors: e, warnings: w } = counts(report);
    const header = `\n${report.component}${report.path ? ` (${report.path})` : ''}: ${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}`;
    if (full || !push(header)) {
      full = true;
      hiddenFindings += report.findings.length;
      hiddenErrors += e;
      hiddenComponents.add(report.component);
      continue;
    }
    for (const finding of report.findings) {
      if (full || !push(formatFinding(finding))) {
        full = true;
        hiddenFindings++;
        if (finding.severity === 'error') hiddenErrors++;
        hiddenComponents.add(report.component);
      }
    }
    if (!full) push(readinessLine(report));
    else lines.push(`Readiness ${report.score}/100.`);
  }
  if (clean.length) {
    const names = clean.map((report) => report.component.replace(/^c\//, ''));
    let line = `\nNo findings (100/100): ${names.join(', ')}`;
    if (Buffer.byteLength(line) > Math.max(200, budget - used - 300))
      line = `\nNo findings (100/100): ${clean.length} components (${names.slice(0, 20).join(', ')}, …)`;
    lines.push(line);
  }
  if (hiddenFindings)
    lines.push(
      `\n${hiddenFindings} more finding${hiddenFindings === 1 ? '' : 's'} (${hiddenErrors} error${hiddenErrors === 1 ? '' : 's'}) in ${hiddenComponents.size} component${hiddenComponents.size === 1 ? '' : 's'} not shown: ${[...hiddenComponents].slice(0, 15).join(', ')}${hiddenComponents.size > 15 ? ', …' : ''}. Validate one (componentName) to see them all.`,
    );
  return lines.join('\n');
}

export const validateLwcComponent = defineTool({
  name: 'validate_lwc_component',
  title: 'Validate Lightning web components',
  description:
    'Compiles and lints LWC bundles (LWC and SLDS rules), checks js-meta.xml and accessibility: findings at their lines with fixes, a 0–100 score.',
  input: z.object({
    path: z
      .string()
      .min(1)
      .max(LIMITS.path)
      .optional()
      .describe('bundle, lwc or package folder (default: all package directories)'),
    componentName: z.string().min(1).max(100).optional().describe('e.g. accountCard'),
    files: filesArgument.optional(),
  }),
  output: z.object({
    components: z.array(
      z.object({
        component: z.string(),
        path: z.string().optional(),
        score: z.number(),
        errors: z.number(),
        warnings: z.number(),
      }),
    ),
    findings: z.number(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    const { bundles, sourceApiVersion } = await bundlesFor(ctx, input);
    const validate = await import('../lib/validate.js');
    const reports: ValidationReport[] = [];
    for (const [index, bundle] of bundles.entries()) {
      ctx.signal.throwIfAborted();
      if (bundles.length > 1) await ctx.progress(index, bundles.length, `Validating ${bundle.name}`);
      reports.push(
        await validate.validateBundle(bundle, {
          ...(sourceApiVersion ? { apiVersion: sourceApiVersion } : {}),
          signal: ctx.signal,
        }),
      );
    }
    return toolResult({
      text: reportText(reports, ctx.responseBudget, validate),
      structured: {
        components: reports.map((report) => ({
          component: report.component,
          ...(report.path ? { path: report.path } : {}),
          score: report.score,
          ...counts(report),
        })),
        findings: reports.reduce((sum, report) => sum + report.findings.length, 0),
      },
    });
  },
});
