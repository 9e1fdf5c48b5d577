#!/usr/bin/env node
import { prepareProcess } from './startup.js';

prepareProcess();
const { runCli } = await import('./main.js');

runCli().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `sfmcp: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
