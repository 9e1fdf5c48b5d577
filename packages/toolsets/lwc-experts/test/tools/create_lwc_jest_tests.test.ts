import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLwcJestTests } from '../../src/tools/create_lwc_jest_tests.js';
import { cleanUp, filesUnder, makeProject, serveTools, tempDir } from '../helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/jest', import.meta.url));
const LWC = 'force-app/main/default/lwc';

function fixture(name: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of readdirSync(join(FIXTURES, name)))
    if (!file.startsWith('__')) files[file] = readFileSync(join(FIXTURES, name, file), 'utf8');
  return files;
}

function inProject(name: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fixture(name)).map(([file, content]) => [`${LWC}/${name}/${file}`, content]),
  );
}

let server: TestServer;
let project: string;

beforeAll(async () => {
  project = makeProject({ ...inProject('orderSummary'), ...inProject('calculator') });
  server = await serveTools([createLwcJestTests], project);
});

afterAll(async () => {
  await server?.close();
  cleanUp();
});

describe('create_lwc_jest_tests', () => {
  it("publishes @salesforce/mcp's arguments, requiring none of them", async () => {
    const { tools } = await server.client.listTools();
    const tool = tools.find((entry) => entry.name === 'create_lwc_jest_tests');
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['componentName', 'files', 'name', 'client']),
    );
    expect(tool?.inputSchema.required ?? []).toEqual([]);
  });

  it('writes a test from what the component does: @api, its Apex call and error toast, its event', async () => {
    const result = await server.call('create_lwc_jest_tests', {
      componentName: 'orderSummary',
      name: 'create_lwc_jest_tests',
      client: 'test-client',
    });
    expect(result.isError, result.text).toBeFalsy();
    const file = join(project, LWC, 'orderSummary/__tests__/orderSummary.test.js');
    expect(result.text).toContain(`Wrote ${LWC}/orderSummary/__tests__/orderSummary.test.js`);
    const test = readFileSync(file, 'utf8');
    expect(test).toContain(
      "jest.mock('@salesforce/apex/OrderController.getOrders', () => ({ default: jest.fn() }), { virtual: true });",
    );
    expect(test).toContain("createElement('c-order-summary', { is: OrderSummary })");
    expect(test).toContain("expect(element.heading).toBe('Sample heading')");
    expect(test).toContain('expect(element.maxRows).toBe(12)');
    expect(test).toContain('expect(element.compact).toBe(true)');
    expect(test).toContain("expect(element.shadowRoot.textContent).toContain('Sample heading')");
    expect(test).toContain("expect(typeof element.clear).toBe('function')");
    expect(test).toContain("it('calls getOrders from handleRefresh'");
    expect(test).toContain("element.addEventListener('lightning__showtoast', toastHandler)");
    expect(test).toContain("element.addEventListener('select', handler)");
    expect(test).toContain(`querySelector('lightning-button[data-id="open"]')`);
    expect(test).toContain(
      "[...element.shadowRoot.querySelectorAll('lightning-button')].find((node) => node.label === 'Refresh')",
    );
    expect(test).toContain('document.body.removeChild(document.body.firstChild)');
    expect(result.structuredContent).toMatchObject({ component: 'c/orderSummary', written: true });
  });

  it('refuses to overwrite an existing test unless asked', async () => {
    const file = join(project, LWC, 'calculator/__tests__/calculator.test.js');
    mkdirSync(join(project, LWC, 'calculator/__tests__'));
    writeFileSync(file, '// mine\n');
    const refused = await server.call('create_lwc_jest_tests', { componentName: 'calculator' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('already exists; nothing was written');
    expect(readFileSync(file, 'utf8')).toBe('// mine\n');
    const replaced = await server.call('create_lwc_jest_tests', {
      componentName: 'calculator',
      overwrite: true,
    });
    expect(replaced.isError, replaced.text).toBeFalsy();
    expect(readFileSync(file, 'utf8')).toContain("describe('c-calculator'");
  });

  it('returns the text for files, writing nothing', async () => {
    const before = filesUnder(project);
    const result = await server.call('create_lwc_jest_tests', {
      componentName: 'orderSummary',
      files: JSON.stringify(fixture('orderSummary')),
      name: 'x',
      client: 'y',
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toContain("describe('c-order-summary'");
    expect(result.structuredContent).toMatchObject({
      written: false,
      testFile: '__tests__/orderSummary.test.js',
    });
    expect(filesUnder(project)).toEqual(before);
  });

  it('gives clear errors for bad names, paths outside the project, broken code and links', async () => {
    const before = filesUnder(project);
    const bad = await server.call('create_lwc_jest_tests', { componentName: '../../etc' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('is not a valid Lightning Web Component name');
    const none = await server.call('create_lwc_jest_tests', {});
    expect(none.isError).toBe(true);
    expect(none.text).toContain('Name the component');
    const outside = await server.call('create_lwc_jest_tests', { path: '../../etc' });
    expect(outside.isError).toBe(true);
    const broken = await server.call('create_lwc_jest_tests', {
      files: { 'broken.js': 'export default class extends {' },
    });
    expect(broken.isError).toBe(true);
    expect(broken.text).toContain('broken.js does not parse');

    const elsewhere = tempDir();
    const linked = join(project, LWC, 'linked');
    // a bundle whose __tests__ folder is a link out of the project
    mkdirSync(linked);
    writeFileSync(join(linked, 'linked.js'), fixture('calculator')['calculator.js']!);
    symlinkSync(elsewhere, join(linked, '__tests__'));
    const viaLink = await server.call('create_lwc_jest_tests', { componentName: 'linked' });
    expect(viaLink.isError).toBe(true);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(existsSync(join(elsewhere, 'linked.test.js'))).toBe(false);
    expect(filesUnder(project).filter((file) => !before.includes(file))).toEqual([`${LWC}/linked/linked.js`]);
  });
});
