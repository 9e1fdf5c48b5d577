#!/usr/bin/env node
// pnpm bench: start-up time and memory of the built sfmcp against @salesforce/mcp in the same run,
// and the bytes every toolset's tool list costs the model. Run through ./run bench (it builds first).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureStartup, median } from './lib/mcp-process.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 5);
const skipReference = process.argv.includes('--no-reference');
const referenceDir = join(root, '.tools', 'salesforce-mcp');
const referenceBin = join(referenceDir, 'node_modules', '@salesforce', 'mcp', 'bin', 'run.js');

/** A HOME with one authorized org as target-org, so both servers start with --orgs DEFAULT_TARGET_ORG. */
function makeHome() {
  const home = mkdtempSync(join(tmpdir(), 'sfmcp-bench-'));
  mkdirSync(join(home, '.sf'), { recursive: true });
  writeFileSync(join(home, '.sf', 'config.json'), JSON.stringify({ 'target-org': 'bench@example.com' }));
  return home;
}

/** One server's samples, summed up: medians, and the spread (min–max) of the start-up times. */
function summarize(label, samples) {
  const times = samples.map((sample) => sample.ms);
  const result = {
    label,
    ms: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    peakMb: median(samples.map((sample) => sample.peakMb ?? NaN)),
    tools: samples[0].tools.length,
    bytes: samples[0].bytes,
    samples,
  };
  console.log(
    `${label.padEnd(22)} ready tools/list ${result.ms.toFixed(0).padStart(6)} ms (${result.minMs.toFixed(0)}–${result.maxMs.toFixed(0)})   peak RSS ${result.peakMb.toFixed(0).padStart(4)} MB   ${String(result.tools).padStart(3)} tools   ${(result.bytes / 1024).toFixed(1).padStart(6)} KB`,
  );
  console.log(`${''.padEnd(22)} samples ${times.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  return result;
}

/**
 * Start-up of each server, `runs` samples each after one discarded warm-up start (it fills the file cache for
 * both alike), taken in turn (ours, theirs, ours, ...) so that a machine busy for a while slows both.
 */
async function measureInTurn(servers, env) {
  const samples = servers.map(() => []);
  for (let run = -1; run < runs; run++)
    for (const [index, { command, args }] of servers.entries()) {
      const sample = await measureStartup(command, args, { env, cwd: env.HOME });
      if (run >= 0) samples[index].push(sample);
    }
  return servers.map(({ label }, index) => summarize(label, samples[index]));
}

function ensureReference() {
  if (skipReference) return false;
  if (existsSync(referenceBin)) return true;
  console.log(
    'installing @salesforce/mcp into .tools/salesforce-mcp for comparison (once; --no-reference skips it)...',
  );
  try {
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        referenceDir,
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        '@salesforce/mcp@latest',
      ],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        timeout: 15 * 60_000,
      },
    );
  } catch (error) {
    console.log(`could not install @salesforce/mcp: ${error.message}`);
  }
  return existsSync(referenceBin);
}

const env = { ...process.env, HOME: makeHome(), SF_DISABLE_LOG_FILE: 'true', SF_DISABLE_TELEMETRY: 'true' };
// The whole tool list of each: every toolset, preview tools included.
const SERVER_FLAGS = ['--orgs', 'DEFAULT_TARGET_ORG', '--toolsets', 'all', '--allow-non-ga-tools'];
console.log(
  `Start-up: spawn → initialize → tools/list (${SERVER_FLAGS.join(' ')}), median (min–max) of ${runs} runs each, taken in turn after a warm-up start, node ${process.version}\n`,
);
const servers = [
  {
    label: 'sfmcp (all toolsets)',
    command: process.execPath,
    args: [join(root, 'apps/sfmcp/bin/sfmcp.js'), ...SERVER_FLAGS],
  },
];
if (ensureReference())
  servers.push({
    label: '@salesforce/mcp',
    command: process.execPath,
    args: [referenceBin, ...SERVER_FLAGS],
  });
const [ours, theirs] = await measureInTurn(servers, env);

if (theirs) {
  console.log('');
  console.log(
    `time:   sfmcp is ${(ours.ms / theirs.ms).toFixed(3)}× @salesforce/mcp (target ≤ 0.05×; median ${ours.ms.toFixed(0)} ms against ${theirs.ms.toFixed(0)} ms)`,
  );
  console.log(
    `memory: sfmcp is ${(ours.peakMb / theirs.peakMb).toFixed(3)}× @salesforce/mcp (target < 0.2×)`,
  );
  console.log(`bytes:  sfmcp is ${(ours.bytes / theirs.bytes).toFixed(3)}× @salesforce/mcp (target < 0.5×)`);
} else {
  console.log('\n@salesforce/mcp is not available here: no ratios this run.');
}

// Bytes per toolset, from the tool definitions as the server publishes them.
const { createRuntime, parseCli } = await import(join(root, 'apps/server/dist/index.js'));
const command = parseCli(['--toolsets', 'all', '--allow-non-ga-tools'], root);
const runtime = await createRuntime(command.options, {
  discoveryRoots: [join(root, 'apps/sfmcp')],
  describeOnly: true,
});
console.log('\ntools/list bytes per toolset (GA and preview):');
const byToolset = new Map();
for (const entry of [...runtime.coreTools, ...runtime.selected]) {
  // What tools/list shows: the tool's listing publishes it (from its manifest, or from its definition).
  const bytes = Buffer.byteLength(JSON.stringify(entry.tool.published()));
  const current = byToolset.get(entry.toolset) ?? { tools: 0, bytes: 0 };
  byToolset.set(entry.toolset, { tools: current.tools + 1, bytes: current.bytes + bytes });
}
for (const [toolset, { tools, bytes }] of byToolset)
  console.log(
    `  ${toolset.padEnd(16)} ${String(tools).padStart(3)} tools ${(bytes / 1024).toFixed(1).padStart(7)} KB`,
  );
// A toolset against @salesforce/mcp's tools of the same job, as each server lists them.
const official = JSON.parse(
  readFileSync(join(root, 'apps/sfmcp/test/fixtures/official-tools-0.30.15.json'), 'utf8'),
);
function compareToolset(ourToolset, theirToolsets, what, targetKb) {
  const mine = byToolset.get(ourToolset);
  if (!mine) return;
  const names = new Set(
    official.tools.filter((tool) => theirToolsets.includes(tool.toolset)).map((tool) => tool.name),
  );
  const theirTools = theirs?.samples[0].tools.filter((tool) => names.has(tool.name)) ?? [];
  const theirBytes = theirTools.reduce((sum, tool) => sum + Buffer.byteLength(JSON.stringify(tool)), 0);
  console.log(
    `${ourToolset}: ${(mine.bytes / 1024).toFixed(1)} KB for ${mine.tools} tools (target ≤ ${targetKb} KB)` +
      (theirTools.length
        ? ` against @salesforce/mcp's ${(theirBytes / 1024).toFixed(1)} KB for its ${theirTools.length} ${what}`
        : ''),
  );
}
compareToolset('lwc-experts', ['lwc-experts', 'aura-experts'], 'LWC and Aura tools', 12);
compareToolset('devops', ['devops'], 'DevOps Center tools', 14);

// The data toolset: run_soql_query overhead and describe_object size.
await import('./bench-data.mjs');

const { benchLocalOrg } = await import('./bench-local-org.mjs');
await benchLocalOrg();

const { benchMetadata } = await import('./bench-metadata.mjs');
await benchMetadata();

const { benchCodeAnalysis } = await import('./bench-code-analysis.mjs');
await benchCodeAnalysis();
