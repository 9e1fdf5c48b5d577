#!/usr/bin/env node
// sfmcp: the server plus every toolset package this meta package depends on.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prepareProcess } from '@sfmcp/server/startup';

prepareProcess();
const { runCli } = await import('@sfmcp/server');
const here = new URL('..', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', here), 'utf8'));

// This package's folder is a discovery root: the server finds the toolsets, and for --local-org the
// @sfmcp/local-org package, that this package depends on, wherever the package manager put them.
runCli({ discoveryRoots: [fileURLToPath(here)], versionLabel: `sfmcp ${version}` }).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(
      `sfmcp: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
