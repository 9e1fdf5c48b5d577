#!/usr/bin/env node
// The data toolset's bench (run after a build; `pnpm bench` runs it at its end):
// 1. run_soql_query through an in-process sfmcp server against the same query made directly with a
//    @salesforce/core Connection, on a local org with the demo data and a few thousand accounts;
// 2. the tokens (bytes / 4) of describe_object Account against the full describe.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './lib/mcp-process.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.env.BENCH_DATA_RUNS ?? 40);
const warmUp = Number(process.env.BENCH_DATA_WARMUP ?? 10);
const accounts = Number(process.env.BENCH_DATA_ACCOUNTS ?? 3000);

const load = (path) => import(pathToFileURL(join(root, path)).href);
const requireFromData = createRequire(join(root, 'packages/toolsets/data/package.json'));
const { createLocalOrgTestServer } = await load('packages/testkit/dist/index.js');
const { demoSeed, generateVolume } = await load('packages/local-org/dist/index.js');
const { default: plugin } = await load('packages/toolsets/data/dist/index.js');
const { AuthInfo, Connection } = await import(
  pathToFileURL(requireFromData.resolve('@salesforce/core')).href
);

const server = await createLocalOrgTestServer({ plugins: [plugin], seed: demoSeed() });
try {
  generateVolume('Account', accounts, { org: server.org.state });
  // The test server wrote the org's sf auth file into a temporary HOME: the direct client reads it too.
  const authInfo = await AuthInfo.create({ username: server.org.username });
  const connection = await Connection.create({ authInfo });

  const cases = [
    {
      label: '200 rows',
      query: 'SELECT Id, Name, Industry, BillingCity, Owner.Name FROM Account ORDER BY Name LIMIT 200',
      maxRows: 200,
    },
    {
      label: '2,000 rows',
      query: 'SELECT Id, Name, Industry, BillingCity, Owner.Name FROM Account ORDER BY Name LIMIT 2000',
      maxRows: 2000,
    },
  ];
  console.log(
    `\n@sfmcp/data on a local org (${accounts} generated accounts + demo data), median of ${runs} runs after ${warmUp} warm-up:`,
  );
  let primaryRatio;
  let primaryAdded;
  for (const { label, query, maxRows } of cases) {
    const viaServer = async () => {
      const started = performance.now();
      const result = await server.call('run_soql_query', { query, maxRows });
      const ms = performance.now() - started;
      if (result.isError) throw new Error(result.text);
      return ms;
    };
    const direct = async () => {
      const started = performance.now();
      const result = await connection.query(query);
      const ms = performance.now() - started;
      if (!result.records.length) throw new Error('no rows');
      return ms;
    };
    for (let run = 0; run < warmUp; run++) {
      await viaServer();
      await direct();
    }
    const ours = [];
    const theirs = [];
    for (let run = 0; run < runs; run++) {
      // Alternate, so both see the same state of the process and the org.
      ours.push(await viaServer());
      theirs.push(await direct());
    }
    const ratio = median(ours) / median(theirs);
    primaryRatio ??= ratio;
    primaryAdded ??= median(ours) - median(theirs);
    console.log(
      `  run_soql_query ${label.padEnd(11)} ${median(ours).toFixed(2).padStart(7)} ms through MCP   ${median(theirs).toFixed(2).padStart(7)} ms Connection.query   ${ratio.toFixed(3)}×`,
    );
  }
  console.log(
    `  overhead: run_soql_query is ${primaryRatio.toFixed(3)}× the direct call (target < 1.25×), +${primaryAdded.toFixed(2)} ms a call (the local org answers in a few ms; a real org's round trip is 50–500 ms)`,
  );

  const described = await server.call('describe_object', { objectName: 'Account' });
  if (described.isError) throw new Error(described.text);
  const full = await connection.describe('Account');
  const ourTokens = Buffer.byteLength(described.text) / 4;
  const fullTokens = Buffer.byteLength(JSON.stringify(full)) / 4;
  console.log(
    `  describe_object Account: ${Math.round(ourTokens)} tokens, full describe ${Math.round(fullTokens)} tokens (${full.fields.length} fields): ${(ourTokens / fullTokens).toFixed(3)}× (target < 0.2×)`,
  );
} finally {
  await server.close();
}
