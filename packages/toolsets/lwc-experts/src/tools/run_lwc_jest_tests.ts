import { realpath } from 'node:fs/promises';
import { LIMITS, defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { bundlesAt, findBundle } from '../lib/bundle.js';

const count = z.object({ total: z.number(), passed: z.number(), failed: z.number() });

export const runLwcJestTests = defineTool({
  name: 'run_lwc_jest_tests',
  title: 'Run LWC Jest tests',
  description:
    "Runs the project's LWC Jest tests with sfdx-lwc-jest: failures with message and line, coverage on request.",
  input: z.object({
    componentName: z.string().max(80).optional().describe('Only its tests'),
    path: z.string().max(LIMITS.path).optional().describe('Only tests under this folder'),
    coverage: z.boolean().optional().describe('Coverage per file'),
  }),
  output: z.object({
    suites: count,
    tests: count.extend({ skipped: z.number() }),
    failures: z.array(
      z.object({
        suite: z.string(),
        test: z.string().optional(),
        message: z.string(),
        at: z.string().optional(),
      }),
    ),
    coverage: z
      .array(
        z.object({
          file: z.string(),
          lines: z.number(),
          statements: z.number(),
          functions: z.number(),
          branches: z.number(),
        }),
      )
      .optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    const project = await ctx.project();
    let only: string[] | undefined;
    if (input.componentName !== undefined) only = [await findBundle(project, 'lwc', input.componentName)];
    else if (input.path !== undefined) only = await bundlesAt(project, 'lwc', input.path);
    const root = await realpath(project.root);
    if (only) only = await Promise.all(only.map((dir) => realpath(dir)));
    await ctx.progress(0, 1, 'Running Jest');
    const { runJest, formatJestReport } = await import('../lib/jest-run.js');
    const report = await runJest({
      root,
      ...(only ? { only } : {}),
      ...(input.coverage ? { coverage: true } : {}),
      signal: ctx.signal,
    });
    await ctx.progress(1, 1, 'Done');
    return toolResult({
      text: formatJestReport(report),
      structured: {
        suites: report.suites,
        tests: report.tests,
        failures: report.failures,
        ...(report.coverage ? { coverage: report.coverage } : {}),
      },
    });
  },
});
