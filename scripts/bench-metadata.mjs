#!/usr/bin/env node
// The metadata toolset's bench (run after a build; `pnpm bench` runs it): deploy time of the bundled sample project
// (packages/toolsets/metadata/sample-project) through deploy_metadata on an in-process sfmcp server, against
// source-deploy-retrieve called directly (ComponentSet.fromSource → deploy → pollStatus) on the same local org.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, pairedRuns } from './lib/mcp-process.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const load = (path) => import(pathToFileURL(join(root, path)).href);

/** Prints deploy_metadata's time against SDR's and returns the ratio. */
export async function benchMetadata({
  runs = Number(process.env.BENCH_METADATA_RUNS ?? 20),
  warmUp = Number(process.env.BENCH_METADATA_WARMUP ?? 5),
} = {}) {
  const requireFromMetadata = createRequire(join(root, 'packages/toolsets/metadata/package.json'));
  const importFromMetadata = (name) => import(pathToFileURL(requireFromMetadata.resolve(name)).href);
  const { createLocalOrgTestServer } = await load('packages/testkit/dist/index.js');
  const { default: plugin } = await load('packages/toolsets/metadata/dist/index.js');
  const { AuthInfo, Connection } = await importFromMetadata('@salesforce/core');
  const sdr = await importFromMetadata('@salesforce/source-deploy-retrieve');
  const { ComponentSet } = sdr.default ?? sdr;

  const project = mkdtempSync(join(tmpdir(), 'sfmcp-bench-metadata-'));
  cpSync(join(root, 'packages/toolsets/metadata/sample-project'), project, { recursive: true });
  const server = await createLocalOrgTestServer({ plugins: [plugin], args: ['--project-dir', project] });
  try {
    // The test server wrote the org's sf auth file into a temporary HOME: the direct client reads it too.
    const connection = await Connection.create({
      authInfo: await AuthInfo.create({ username: server.org.username }),
    });
    const viaTool = async () => {
      const started = performance.now();
      const result = await server.call('deploy_metadata', { sourceDir: ['force-app'] });
      const ms = performance.now() - started;
      if (result.isError || result.structuredContent?.status !== 'Succeeded') throw new Error(result.text);
      return ms;
    };
    const direct = async () => {
      const started = performance.now();
      const operation = await ComponentSet.fromSource(join(project, 'force-app')).deploy({
        usernameOrConnection: connection,
      });
      const result = await operation.pollStatus({ frequency: { milliseconds: 100 } });
      const ms = performance.now() - started;
      if (result.response.status !== 'Succeeded') throw new Error(String(result.response.errorMessage));
      return ms;
    };
    const { ours, theirs } = await pairedRuns(viaTool, direct, { runs, warmUp });
    const ratio = median(ours) / median(theirs);
    console.log(
      `\n@sfmcp/metadata: deploy of the sample project (${ComponentSet.fromSource(join(project, 'force-app')).size} components) on a local org, median of ${runs} runs after ${warmUp} warm-up:`,
    );
    console.log(
      `  deploy_metadata ${median(ours).toFixed(1).padStart(7)} ms through MCP   ${median(theirs).toFixed(1).padStart(7)} ms source-deploy-retrieve directly   ${ratio.toFixed(3)}× (target < 1.15×)`,
    );
    return ratio;
  } finally {
    await server.close();
    rmSync(project, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchMetadata();
