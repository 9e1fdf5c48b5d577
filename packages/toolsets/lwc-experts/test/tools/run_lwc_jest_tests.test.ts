import { cpSync, existsSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLwcComponent } from '../../src/tools/create_lwc_component.js';
import { createLwcJestTests } from '../../src/tools/create_lwc_jest_tests.js';
import { runLwcJestTests } from '../../src/tools/run_lwc_jest_tests.js';
import { cleanUp, filesUnder, makeProject, serveTools, tempDir } from '../helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/jest', import.meta.url));
const LWC = 'force-app/main/default/lwc';

interface Structured {
  suites: { total: number; passed: number; failed: number };
  tests: { total: number; passed: number; failed: number; skipped: number };
  failures: { suite: string; test?: string; message: string; at?: string }[];
  coverage?: { file: string; lines: number }[];
}

let server: TestServer;
let project: string;

// One project for every run: Jest is slow here, so the whole file makes two runs.
beforeAll(async () => {
  project = makeProject();
  for (const name of ['orderSummary', 'contactList', 'objectBadge', 'calculator', 'badTest'])
    cpSync(join(FIXTURES, name), join(project, LWC, name), { recursive: true });
  expect(existsSync(join(project, 'node_modules'))).toBe(false);
  server = await serveTools([createLwcComponent, createLwcJestTests, runLwcJestTests], project);
});

afterAll(async () => {
  await server?.close();
  cleanUp();
});

describe('run_lwc_jest_tests', () => {
  it('runs the tests of a scaffolded component, a generated test and a failing one, with coverage', async () => {
    const created = await server.call('create_lwc_component', {
      name: 'accountSummary',
      targets: ['record-page', 'flow-screen'],
      objects: ['Account'],
      properties: [{ name: 'heading', type: 'String', default: 'Key facts' }],
      recordData: { fields: ['Account.Name', 'Account.Owner.Name'] },
      apexMethod: 'AccountController.getOrders',
    });
    expect(created.isError, created.text).toBeFalsy();
    expect(created.structuredContent).toMatchObject({ errors: 0 });
    // Existing components: Apex (imperative, wired), @api fields and accessors, events, LDS, LMS, navigation.
    for (const componentName of ['orderSummary', 'contactList', 'objectBadge']) {
      const generated = await server.call('create_lwc_jest_tests', { componentName });
      expect(generated.isError, generated.text).toBeFalsy();
    }

    const result = await server.call('run_lwc_jest_tests', { coverage: true });
    expect(result.isError, result.text).toBeFalsy();
    const report = result.structuredContent as unknown as Structured;
    expect(report.suites, result.text).toEqual({ total: 6, passed: 4, failed: 2 });
    expect(report.failures).toHaveLength(2);
    // A suite that cannot run (its import is missing) is a failure of its own, with jest's message.
    const broken = report.failures.find((failure) => failure.suite.includes('badTest'));
    expect(broken).toMatchObject({ suite: `${LWC}/badTest/__tests__/badTest.test.js` });
    expect(broken?.test).toBeUndefined();
    expect(broken?.message).toContain('c/doesNotExist');
    expect(result.text).toContain('badTest.test.js (the suite failed to run)');
    const failing = report.failures.filter((failure) => failure !== broken);
    expect(failing[0]).toMatchObject({
      suite: `${LWC}/calculator/__tests__/calculator.test.js`,
      test: 'c-calculator › multiplies (deliberately wrong: the component adds)',
      at: expect.stringMatching(new RegExp(`^${LWC}/calculator/__tests__/calculator\\.test\\.js:\\d+:\\d+$`)),
    });
    expect(failing[0]!.message).toContain('Expected: "6"');
    expect(failing[0]!.message).toContain('Received: "5"');
    expect(report.tests.failed).toBe(1);
    expect(report.tests.passed).toBe(report.tests.total - 1);
    expect(report.tests.total).toBeGreaterThan(20);
    expect(result.text).toContain(
      '✕ force-app/main/default/lwc/calculator/__tests__/calculator.test.js › c-calculator › multiplies',
    );
    const covered = new Map(report.coverage?.map((row) => [row.file, row.lines]));
    expect(covered.get(`${LWC}/accountSummary/accountSummary.js`)).toBeGreaterThan(80);
    for (const name of ['orderSummary', 'contactList', 'objectBadge'])
      expect(covered.get(`${LWC}/${name}/${name}.js`), name).toBeGreaterThan(70);
    expect(covered.has('total')).toBe(true);
  });

  it('runs one component: exactly its one passing and one failing test', async () => {
    const result = await server.call('run_lwc_jest_tests', { componentName: 'calculator' });
    expect(result.isError, result.text).toBeFalsy();
    const report = result.structuredContent as unknown as Structured;
    expect(report.suites).toEqual({ total: 1, passed: 0, failed: 1 });
    expect(report.tests).toEqual({ total: 2, passed: 1, failed: 1, skipped: 0 });
    expect(result.text).toMatch(/^FAILED: 1 of 2 tests passed, 1 failed/);
  });

  it('stops Jest when the call is cancelled, removing its temporary folder', async () => {
    const ours = () => readdirSync(tmpdir()).filter((name) => name.startsWith('sfmcp-lwc-jest-'));
    const before = ours();
    const controller = new AbortController();
    const call = server.client.callTool({ name: 'run_lwc_jest_tests', arguments: {} }, undefined, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 500);
    await expect(call).rejects.toThrow();
    // The folder goes once the killed child has exited; wait for that, without timing anything.
    for (let attempt = 0; attempt < 100 && ours().length > before.length; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ours()).toEqual(before);
  });

  it('gives clear errors for bad names, paths outside the project and links, running nothing', async () => {
    const before = filesUnder(project);
    const bad = await server.call('run_lwc_jest_tests', { componentName: '../x' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('is not a valid Lightning Web Component name');
    const missing = await server.call('run_lwc_jest_tests', { componentName: 'nothingHere' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('No Lightning Web Component named nothingHere');
    const outside = await server.call('run_lwc_jest_tests', { path: '../../etc' });
    expect(outside.isError).toBe(true);
    const elsewhere = tempDir();
    symlinkSync(elsewhere, join(project, 'linked'));
    const linked = await server.call('run_lwc_jest_tests', { path: 'linked' });
    expect(linked.isError).toBe(true);
    expect(filesUnder(project).filter((file) => !file.startsWith('linked'))).toEqual(before);
  });
});

describe("run_lwc_jest_tests with the project's jest.config.js", () => {
  it('uses it, resolving @salesforce/sfdx-lwc-jest from this toolset when the project has no node_modules', async () => {
    const own = makeProject({
      'jest.config.js': [
        "const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');",
        "module.exports = { ...jestConfig, modulePathIgnorePatterns: ['<rootDir>/.localdevserver'] };",
        '',
      ].join('\n'),
    });
    cpSync(join(FIXTURES, 'calculator'), join(own, LWC, 'calculator'), { recursive: true });
    const ownServer = await serveTools([runLwcJestTests], own);
    try {
      const result = await ownServer.call('run_lwc_jest_tests', {});
      expect(result.isError, result.text).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ tests: { total: 2, passed: 1, failed: 1 } });
      expect(result.text).toContain("Ran with the project's jest.config.");
    } finally {
      await ownServer.close();
    }
  });
});
