#!/usr/bin/env node
import { loadServer, prepareProcess } from './startup.js';

prepareProcess();
const { runCli } = await loadServer();

runCli().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `sfmcp: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
