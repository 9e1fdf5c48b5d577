#!/usr/bin/env node
// A committed file (not in dist/), so installing the package can link the bin before it is built.
const { main } = await import('../dist/cli.js');

process.exit(await main(process.argv.slice(2)));
