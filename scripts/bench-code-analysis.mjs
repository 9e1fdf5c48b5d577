#!/usr/bin/env node
// The code-analysis toolset's bench (run after a build; `pnpm bench` runs it): run_code_analyzer with Recommended on
// the bundled sample project (packages/toolsets/code-analysis/sample-project) through an in-process sfmcp server,
// against code-analyzer-core called directly — a fresh node process that builds a CodeAnalyzer with the same
// engines, selects Recommended, runs it and formats JSON and SARIF, as one `code-analyzer run` would. Both start
// cold each run (the tool runs its engines in a child process of its own). The flow engine is left out of the
// direct run: code-analyzer-core 0.52 cannot add it as published (removeEventListener is missing; the tool bridges
// it), and Recommended selects no flow rule on this project. Also prints the toolset's tools/list bytes.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, pairedRuns } from './lib/mcp-process.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const packageDir = join(root, 'packages/toolsets/code-analysis');
const load = (path) => import(pathToFileURL(join(root, path)).href);

/** The direct run, as a script resolved from the toolset's own dependencies. */
const DIRECT = `
import { CodeAnalyzer, CodeAnalyzerConfig, OutputFormat } from '@salesforce/code-analyzer-core';
const root = process.argv[2];
const analyzer = new CodeAnalyzer(CodeAnalyzerConfig.fromObject({}, root));
const engines = await Promise.all([
  import('@salesforce/code-analyzer-eslint-engine'),
  import('@salesforce/code-analyzer-regex-engine'),
  import('@salesforce/code-analyzer-retirejs-engine'),
  import('@salesforce/code-analyzer-pmd-engine'),
  import('@salesforce/code-analyzer-sfge-engine'),
]);
for (const engine of engines) await analyzer.addEnginePlugin(engine.createEnginePlugin());
const workspace = await analyzer.createWorkspace([root], [root + '/force-app']);
const selection = await analyzer.selectRules(['Recommended'], { workspace });
const results = await analyzer.run(selection, { workspace });
const json = results.toFormattedOutput(OutputFormat.JSON);
results.toFormattedOutput(OutputFormat.SARIF);
process.stdout.write(String(JSON.parse(json).violations.length));
`;

function runDirect(script, project) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [script, project], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.resume();
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve({ ms: performance.now() - started, violations: Number(out) })
        : reject(new Error(`direct run exited ${code}`)),
    );
  });
}

/** Prints run_code_analyzer's time against code-analyzer-core's and the tools/list bytes; returns the ratio. */
export async function benchCodeAnalysis({
  runs = Number(process.env.BENCH_CODE_ANALYSIS_RUNS ?? 3),
  warmUp = Number(process.env.BENCH_CODE_ANALYSIS_WARMUP ?? 1),
} = {}) {
  const { createTestServer } = await load('packages/testkit/dist/index.js');
  const { default: plugin } = await load('packages/toolsets/code-analysis/dist/index.js');
  const { publishTool } = await load('packages/plugin-api/dist/manifest.js');

  const bytes = plugin.tools.reduce(
    (sum, tool) => sum + Buffer.byteLength(JSON.stringify(publishTool(tool))),
    0,
  );
  console.log(
    `\n@sfmcp/code-analysis: tools/list ${(bytes / 1024).toFixed(1)} KB for its ${plugin.tools.length} tools (target ≤ 9 KB)`,
  );

  const project = mkdtempSync(join(tmpdir(), 'sfmcp-bench-code-analysis-'));
  cpSync(join(packageDir, 'sample-project'), project, { recursive: true });
  // In the toolset's folder, so that its dependencies resolve; removed at the end.
  const script = join(packageDir, `.bench-direct-${process.pid}.mjs`);
  writeFileSync(script, DIRECT);
  const server = await createTestServer({ plugins: [plugin], args: ['--project-dir', project] });
  try {
    let counts;
    const viaTool = async () => {
      const started = performance.now();
      const result = await server.client.callTool(
        { name: 'run_code_analyzer', arguments: { target: ['force-app'], selector: 'Recommended' } },
        undefined,
        { timeout: 600_000 },
      );
      const ms = performance.now() - started;
      if (result.isError) throw new Error(result.content.map((part) => part.text).join('\n'));
      counts = { ...counts, ours: result.structuredContent.total };
      return ms;
    };
    const direct = async () => {
      const { ms, violations } = await runDirect(script, project);
      counts = { ...counts, theirs: violations };
      return ms;
    };
    const { ours, theirs } = await pairedRuns(viaTool, direct, { runs, warmUp });
    const ratio = median(ours) / median(theirs);
    console.log(
      `  run_code_analyzer Recommended on the sample project, median of ${runs} runs after ${warmUp} warm-up (${counts.ours} violations; directly ${counts.theirs}):`,
    );
    console.log(
      `  ${median(ours).toFixed(0).padStart(7)} ms through MCP   ${median(theirs).toFixed(0).padStart(7)} ms code-analyzer-core directly   ${ratio.toFixed(3)}× (target ≤ 1.1×)`,
    );
    return ratio;
  } finally {
    await server.close();
    rmSync(script, { force: true });
    rmSync(project, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchCodeAnalysis();
