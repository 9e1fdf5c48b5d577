#!/usr/bin/env node
import { runCli } from './main.js';

runCli().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`sfmcp: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
