#!/usr/bin/env node
// Adds up vitest's per-package "Tests  N passed | M failed" lines from a turbo log into one closing line,
// followed by the results of the other checks named as arguments: test-summary.mjs <log> [lint=passed ...].
import { readFileSync } from 'node:fs';

const [logFile, ...checks] = process.argv.slice(2);
// Colour codes are stripped first.
// eslint-disable-next-line no-control-regex
const log = readFileSync(logFile, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const line of log.split('\n')) {
  const tests = /Tests\s+(.*)$/.exec(line);
  if (!tests || !/\(\d+\)\s*$/.test(line)) continue;
  passed += Number(/(\d+) passed/.exec(tests[1])?.[1] ?? 0);
  failed += Number(/(\d+) failed/.exec(tests[1])?.[1] ?? 0);
  skipped += Number(/(\d+) skipped/.exec(tests[1])?.[1] ?? 0);
}
const parts = [`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`];
for (const check of checks) {
  const [name, result] = check.split('=');
  parts.push(`${name}: ${result}`);
}
console.log(parts.join('; '));
