import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { ToolError, cancelled } from '@sfmcp/plugin-api';

export interface JestRunOptions {
  /** The project root: jest's cwd and rootDir. */
  root: string;
  /** Absolute folders whose tests run (default: every test in the project). */
  only?: readonly string[];
  coverage?: boolean;
  signal: AbortSignal;
  /** Default 5 minutes. */
  timeoutMs?: number;
}

export interface JestFailure {
  /** The test file relative to the project root. */
  suite: string;
  /** "describe › test"; absent when the suite itself failed (a syntax error, a missing module). */
  test?: string;
  /** The first lines of the message, without the stack. */
  message: string;
  /** Where it failed, in a project file: "force-app/…/hello.test.js:12:5". */
  at?: string;
}

export interface CoverageRow {
  /** Relative to the project root, or "total". */
  file: string;
  lines: number;
  statements: number;
  functions: number;
  branches: number;
}

export interface JestRunReport {
  /** `project`: its own jest.config; `sfdx-lwc-jest`: sfdx-lwc-jest's config, from this toolset. */
  config: 'project' | 'sfdx-lwc-jest';
  suites: { total: number; passed: number; failed: number };
  tests: { total: number; passed: number; failed: number; skipped: number };
  failures: JestFailure[];
  coverage?: CoverageRow[];
}

const require = createRequire(import.meta.url);
const PROJECT_CONFIGS = ['jest.config.js', 'jest.config.mjs', 'jest.config.cjs'];
const MAX_FAILURES = 50;

/** The folder of @salesforce/sfdx-lwc-jest as this package resolves it, and the node_modules holding it. */
function sfdxLwcJest(): { dir: string; nodeModules: string } {
  const dir = dirname(require.resolve('@salesforce/sfdx-lwc-jest/package.json'));
  return { dir, nodeModules: dirname(dirname(dir)) };
}

/**
 * The child's script: sfdx-lwc-jest's config (computed there, since it reads the project from the cwd), with this
 * toolset's node_modules as a module path so tests may require @salesforce/sfdx-lwc-jest in a project without
 * node_modules; then jest's own command line.
 */
function runnerScript(useProjectConfig: boolean): string {
  const { dir, nodeModules } = sfdxLwcJest();
  return [
    `'use strict';`,
    `const path = require('path');`,
    `const dir = ${JSON.stringify(dir)};`,
    useProjectConfig
      ? ''
      : [
          `const { jestConfig } = require(path.join(dir, 'config.js'));`,
          `const config = { ...jestConfig, modulePaths: [...(jestConfig.modulePaths || []), ${JSON.stringify(nodeModules)}] };`,
          `process.argv.splice(2, 0, '--config=' + JSON.stringify(config));`,
        ].join('\n'),
    `const jestPackage = require.resolve('jest/package.json', { paths: [dir] });`,
    `const { bin } = require(jestPackage);`,
    `require(path.resolve(path.dirname(jestPackage), typeof bin === 'string' ? bin : bin.jest));`,
  ].join('\n');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** A failure message's first lines before the stack, and the first stack frame in a project file. */
export function splitFailure(raw: string, root: string): { message: string; at?: string } {
  const lines = raw.replace(ANSI, '').split('\n');
  const stackStart = lines.findIndex((line) => /^\s+at /.test(line));
  const head = (stackStart === -1 ? lines : lines.slice(0, stackStart))
    .map((line) => line.trimEnd())
    .filter((line, index, all) => line !== '' || (index > 0 && all[index - 1] !== ''));
  const message = head.slice(0, 12).join('\n').trim().slice(0, 1500);
  let at: string | undefined;
  for (const line of stackStart === -1 ? [] : lines.slice(stackStart)) {
    const match = /\(?((?:\/|[A-Za-z]:\\)[^():]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!match) continue;
    const file = match[1]!;
    const rel = relative(root, file);
    if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('node_modules')) continue;
    at = `${rel.split(sep).join('/')}:${match[2]}:${match[3]}`;
    break;
  }
  return { message: message || '(no message)', ...(at ? { at } : {}) };
}

interface JestJson {
  numTotalTestSuites: number;
  numPassedTestSuites: number;
  numFailedTestSuites: number;
  numRuntimeErrorTestSuites: number;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: {
    name: string;
    status: string;
    message: string;
    assertionResults: {
      ancestorTitles: string[];
      title: string;
      status: string;
      failureMessages: string[];
    }[];
  }[];
}

function pct(value: unknown): number {
  const number = (value as { pct?: unknown } | undefined)?.pct;
  return typeof number === 'number' ? number : 0;
}

/**
 * Runs the project's LWC Jest tests with @salesforce/sfdx-lwc-jest (jest 29) in a child process: cwd the project,
 * the JSON results and coverage summary written to a temporary folder outside it. Test failures are results, not
 * errors; a run that produces no results (jest could not start) throws ToolError.
 */
export async function runJest(options: JestRunOptions): Promise<JestRunReport> {
  const { root, signal } = options;
  if (signal.aborted) throw cancelled();
  const useProjectConfig = PROJECT_CONFIGS.some((name) => existsSync(join(root, name)));
  const work = await mkdtemp(join(tmpdir(), 'sfmcp-lwc-jest-'));
  try {
    const script = join(work, 'run-jest.cjs');
    const output = join(work, 'results.json');
    const coverageDir = join(work, 'coverage');
    await writeFile(script, runnerScript(useProjectConfig));
    const args = [
      script,
      '--json',
      `--outputFile=${output}`,
      '--ci',
      '--runInBand',
      '--passWithNoTests',
      '--no-watchman',
      '--silent',
    ];
    if (options.only?.length)
      args.push(`--testPathPattern=${options.only.map((dir) => `^${escapeRegExp(dir + sep)}`).join('|')}`);
    if (options.coverage)
      args.push('--coverage', '--coverageReporters=json-summary', `--coverageDirectory=${coverageDir}`);
    const timeout = options.timeoutMs ?? 300_000;
    const outcome = await new Promise<{ code: number | null; stderr: string; killed: boolean }>(
      (resolve, reject) => {
        const child = execFile(
          process.execPath,
          args,
          {
            cwd: root,
            // NODE_PATH: a project's own jest.config.js that requires @salesforce/sfdx-lwc-jest finds ours.
            env: {
              ...process.env,
              FORCE_COLOR: '0',
              CI: 'true',
              NODE_PATH: [sfdxLwcJest().nodeModules, process.env.NODE_PATH].filter(Boolean).join(delimiter),
            },
            timeout,
            killSignal: 'SIGKILL',
            maxBuffer: 64 * 1024 * 1024,
            signal,
            windowsHide: true,
          },
          (error, _stdout, stderr) => {
            if (signal.aborted) return reject(cancelled());
            const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
            resolve({ code, stderr: String(stderr), killed: Boolean(error?.killed) });
          },
        );
        child.stdin?.end();
      },
    );
    if (outcome.killed && !existsSync(output))
      throw new ToolError(
        `Jest did not finish within ${Math.round(timeout / 1000)} s and was stopped.`,
        'Run fewer tests (componentName or path).',
        { kind: 'failed' },
      );
    let json: JestJson;
    try {
      json = JSON.parse(await readFile(output, 'utf8')) as JestJson;
    } catch {
      const tail = outcome.stderr.replace(ANSI, '').trim().split('\n').slice(-12).join('\n');
      throw new ToolError(
        `Jest could not run (exit ${outcome.code ?? 'signal'}):\n${tail || '(no output)'}`,
        useProjectConfig
          ? "The project's jest.config is used: if it requires @salesforce/sfdx-lwc-jest, install the project's devDependencies (npm install), or remove it to use sfdx-lwc-jest's defaults."
          : undefined,
        { kind: 'failed' },
      );
    }
    const failures: JestFailure[] = [];
    const suiteName = (name: string) => relative(root, name).split(sep).join('/');
    for (const suite of json.testResults) {
      const failed = suite.assertionResults.filter((test) => test.status === 'failed');
      for (const test of failed) {
        if (failures.length >= MAX_FAILURES) break;
        failures.push({
          suite: suiteName(suite.name),
          test: [...test.ancestorTitles, test.title].join(' › '),
          ...splitFailure(test.failureMessages.join('\n'), root),
        });
      }
      if (suite.status === 'failed' && !failed.length && failures.length < MAX_FAILURES)
        failures.push({ suite: suiteName(suite.name), ...splitFailure(suite.message || '', root) });
    }
    const report: JestRunReport = {
      config: useProjectConfig ? 'project' : 'sfdx-lwc-jest',
      suites: {
        total: json.numTotalTestSuites,
        passed: json.numPassedTestSuites,
        failed: json.numFailedTestSuites,
      },
      tests: {
        total: json.numTotalTests,
        passed: json.numPassedTests,
        failed: json.numFailedTests,
        skipped: json.numPendingTests + json.numTodoTests,
      },
      failures,
    };
    if (options.coverage) {
      const summaryFile = join(coverageDir, 'coverage-summary.json');
      const summary = existsSync(summaryFile)
        ? (JSON.parse(await readFile(summaryFile, 'utf8')) as Record<string, Record<string, unknown>>)
        : {};
      const inScope = (file: string) =>
        !options.only?.length || options.only.some((dir) => file.startsWith(dir + sep));
      report.coverage = Object.entries(summary)
        .filter(([file]) => file === 'total' || inScope(file))
        .map(([file, entry]) => ({
          file: file === 'total' ? 'total' : suiteName(file),
          lines: pct(entry.lines),
          statements: pct(entry.statements),
          functions: pct(entry.functions),
          branches: pct(entry.branches),
        }))
        .sort((a, b) => (a.file === 'total' ? 1 : b.file === 'total' ? -1 : a.file.localeCompare(b.file)));
    }
    return report;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The report as compact text: totals, each failure with where it happened, coverage per file. */
export function formatJestReport(report: JestRunReport): string {
  const { suites, tests } = report;
  const lines = [
    `${tests.failed ? 'FAILED' : suites.failed ? 'FAILED' : 'PASSED'}: ${tests.passed} of ${tests.total} tests passed, ${tests.failed} failed${tests.skipped ? `, ${tests.skipped} skipped` : ''}; ${suites.passed} of ${suites.total} suites passed${suites.failed ? `, ${suites.failed} failed` : ''}.`,
  ];
  if (!suites.total) lines.push('No test files found (__tests__/*.test.js in the lwc folders).');
  for (const failure of report.failures) {
    lines.push('', `✕ ${failure.suite}${failure.test ? ` › ${failure.test}` : ' (the suite failed to run)'}`);
    if (failure.at) lines.push(`  at ${failure.at}`);
    lines.push(...failure.message.split('\n').map((line) => `  ${line}`));
  }
  if (report.coverage) {
    lines.push('', 'Coverage (% lines | statements | functions | branches):');
    for (const row of report.coverage)
      lines.push(`${row.file}: ${row.lines} | ${row.statements} | ${row.functions} | ${row.branches}`);
    if (!report.coverage.length) lines.push('(no coverage collected)');
  }
  lines.push(
    '',
    report.config === 'project'
      ? "Ran with the project's jest.config."
      : "Ran with @salesforce/sfdx-lwc-jest's config.",
  );
  return lines.join('\n');
}
