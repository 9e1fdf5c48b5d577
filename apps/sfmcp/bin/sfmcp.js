#!/usr/bin/env node
// sfmcp: the server plus every toolset package this meta package depends on.
// The Node version first: everything after it is loaded only on a Node that can run it.
import '@sfmcp/server/node-check';

const { readFileSync } = process.getBuiltinModule('node:fs');
const { fileURLToPath } = process.getBuiltinModule('node:url');
const { loadServer, prepareProcess } = await import('@sfmcp/server/startup');

prepareProcess();
// The server's one-file bundle with its warmed code cache (the modules in its dist/ if it has none).
const { runCli } = await loadServer();
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
