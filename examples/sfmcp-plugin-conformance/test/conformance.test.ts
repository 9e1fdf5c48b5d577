import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs @modelcontextprotocol/conformance's server scenarios (all of them, pending ones included) against the real
// sfmcp bin over Streamable HTTP, with this fixture plugin loaded, in this test file's temporary HOME
// (vitest.setup.ts). Every scenario must pass, except those in conformance-baseline.yml, each with its reason.

const here = dirname(fileURLToPath(import.meta.url));
const fixtureDir = join(here, '..');
const require = createRequire(import.meta.url);
const sfmcpBin = join(dirname(require.resolve('sfmcp/package.json')), 'bin', 'sfmcp.js');
const conformanceBin = join(
  dirname(require.resolve('@modelcontextprotocol/conformance/package.json')),
  'dist',
  'index.js',
);
const baselineFile = join(fixtureDir, 'conformance-baseline.yml');

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';
  errorMessage?: string;
}

/** The baseline's entries: `  - scenario # reason` under `server:`. A line without a reason is an error. */
function readBaseline(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of readFileSync(baselineFile, 'utf8').split('\n')) {
    const entry = /^\s+-\s+([\w-]+)\s*(?:#\s*(.*))?$/.exec(line);
    if (!entry) continue;
    const [, scenario, reason] = entry as unknown as [string, string, string | undefined];
    if (!reason?.trim()) throw new Error(`${baselineFile}: ${scenario} is listed without its reason`);
    entries.set(scenario, reason.trim());
  }
  return entries;
}

function environment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return { ...env, SF_DISABLE_LOG_FILE: 'true', SFMCP_HTTP_TOKEN: '' };
}

async function startServer(): Promise<{ url: string; child: ChildProcess; stderr: () => string }> {
  const child = spawn(
    process.execPath,
    [sfmcpBin, '--transport', 'http', '--port', '0', '--plugin', fixtureDir, '--toolsets', 'conformance'],
    { cwd: fixtureDir, env: environment(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /serving Streamable HTTP on (\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`sfmcp exited (${code}) before listening:\n${stderr}`)));
  });
  return { url, child, stderr: () => stderr };
}

/** Runs the suite; returns its exit code, output, and each scenario's checks (from its checks.json). */
async function runSuite(url: string) {
  const outputDir = mkdtempSync(join(tmpdir(), 'sfmcp-conformance-'));
  const suite = spawn(
    process.execPath,
    [
      conformanceBin,
      'server',
      '--url',
      url,
      '--suite',
      'all',
      '--expected-failures',
      baselineFile,
      '--output-dir',
      outputDir,
    ],
    { cwd: outputDir, env: environment(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  suite.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  suite.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const [code] = (await once(suite, 'exit')) as [number | null];
  const scenarios = new Map<string, Check[]>();
  for (const folder of readdirSync(outputDir)) {
    // server-<scenario>-<ISO timestamp with dashes>
    const scenario = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(folder)?.[1];
    if (scenario)
      scenarios.set(
        scenario,
        JSON.parse(readFileSync(join(outputDir, folder, 'checks.json'), 'utf8')) as Check[],
      );
  }
  return { code, output, scenarios };
}

/** The server scenarios the suite has, all of them (`conformance list --server`). */
async function listScenarios(): Promise<string[]> {
  const lister = spawn(process.execPath, [conformanceBin, 'list', '--server'], {
    env: environment(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  lister.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  await once(lister, 'exit');
  return [...output.matchAll(/^\s+- ([\w-]+)/gm)].map((match) => match[1] as string);
}

describe('MCP conformance (server scenarios) against the sfmcp bin with this fixture', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
    }
  });

  it('passes every scenario but those in the baseline, for the right reasons', async () => {
    const baseline = readBaseline();
    const [expected, run] = await Promise.all([listScenarios(), runSuite(server.url)]);
    const failing = (checks: Check[]) => checks.filter((check) => check.status === 'FAILURE');
    const passed = [...run.scenarios]
      .filter(([, checks]) => failing(checks).length === 0)
      .map(([name]) => name);
    process.stderr.write(
      `conformance: ${passed.length}/${expected.length} server scenarios passed (@modelcontextprotocol/conformance, --suite all)\n`,
    );

    expect([...run.scenarios.keys()].sort(), run.output).toEqual([...expected].sort());
    const unexpected = [...run.scenarios]
      .filter(([name, checks]) => !baseline.has(name) && failing(checks).length > 0)
      .map(
        ([name, checks]) =>
          `${name}: ${failing(checks)
            .map((check) => check.errorMessage ?? check.id)
            .join('; ')}`,
      );
    expect(unexpected, server.stderr()).toEqual([]);
    // A scenario that passes with a warning passed for the wrong reason (a SHOULD not met, a check not applicable).
    const warned = [...run.scenarios]
      .filter(([name]) => !baseline.has(name))
      .flatMap(([name, checks]) =>
        checks.filter((check) => check.status === 'WARNING').map((check) => `${name}: ${check.id}`),
      );
    expect(warned).toEqual([]);
    // Resumable streams: a priming event with retry first, then the result on the stream resumed with Last-Event-ID.
    const polling = run.scenarios.get('server-sse-polling') ?? [];
    for (const id of ['server-sse-priming-event', 'server-sse-retry-field', 'server-sse-disconnect-resume'])
      expect(polling.find((check) => check.id === id)?.status, id).toBe('SUCCESS');
    // The CLI agrees: no unexpected failure, no stale baseline entry.
    expect(run.code, run.output).toBe(0);
  });
});
