#!/usr/bin/env node
/** `sfmcp-local-org`: runs a local org (a Salesforce test double) until SIGINT or SIGTERM. */
import { readFileSync } from 'node:fs';
import { parseBinArguments, USAGE, type BinOptions } from './bin-options.js';
import { demoSeed } from './seed/demo.js';
import type { LocalOrgSeed } from './seed/types.js';
import { generateVolume } from './seed/volume.js';
import { startLocalOrg } from './server.js';

function fail(message: string): never {
  process.stderr.write(`sfmcp-local-org: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let options: BinOptions;
  try {
    options = parseBinArguments(process.argv.slice(2));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { port, volumes } = options;
  let seed: LocalOrgSeed;
  if (options.seedFile) {
    try {
      seed = JSON.parse(readFileSync(options.seedFile, 'utf8')) as LocalOrgSeed;
    } catch (error) {
      fail(
        `cannot read the seed ${options.seedFile}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  } else {
    seed = options.empty ? {} : demoSeed();
  }

  const org = await startLocalOrg({
    seed,
    port,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.timing ? { timing: options.timing } : {}),
    onUnexpectedError: (error) =>
      process.stderr.write(
        `sfmcp-local-org: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      ),
  });
  if (!org.restored) {
    for (const { objectName, count } of volumes) {
      const result = generateVolume(objectName, count, { org: org.state });
      process.stdout.write(`Added ${result.inserted} ${result.objectName} records.\n`);
    }
    if (volumes.length > 0) org.save();
  } else if (volumes.length > 0) {
    process.stdout.write('State loaded from the data dir; --volume is ignored.\n');
  }

  process.stdout.write(
    [
      'Local org running (a Salesforce test double, not a real org).',
      `  Instance URL: ${org.instanceUrl}`,
      `  Access token: ${org.accessToken}`,
      `  Username:     ${org.username}`,
      `  Org ID:       ${org.orgId}`,
      '',
      'Connect the sf CLI:',
      `  SF_ACCESS_TOKEN='${org.accessToken}' sf org login access-token --instance-url ${org.instanceUrl} --no-prompt --alias local-org`,
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the local org.\n`);
    org.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`sfmcp-local-org: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`sfmcp-local-org: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
