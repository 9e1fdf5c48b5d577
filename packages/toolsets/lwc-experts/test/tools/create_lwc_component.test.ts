import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileBundle } from '../../src/lib/compile.js';
import { createLwcComponent } from '../../src/tools/create_lwc_component.js';
import { cleanUp, filesUnder, makeProject, serveTools, tempDir } from '../helpers.js';

const LWC = 'force-app/main/default/lwc';

let server: TestServer;
let project: string;

beforeAll(async () => {
  project = makeProject();
  server = await serveTools([createLwcComponent], project);
});

afterAll(async () => {
  await server?.close();
  cleanUp();
});

const FULL = {
  name: 'accountSummary',
  label: 'Account Summary',
  description: 'The account at a glance & its orders',
  targets: ['record-page', 'flow-screen'],
  objects: ['Account'],
  properties: [
    { name: 'heading', type: 'String', label: 'Heading', default: 'Key facts', required: true },
    { name: 'maxRows', type: 'Integer', default: 5 },
    { name: 'showDetails', type: 'Boolean', default: true },
  ],
  recordData: { fields: ['Account.Name', 'Account.Industry', 'Account.Owner.Name'] },
  apexMethod: 'AccountController.getOrders',
};

describe('create_lwc_component', () => {
  it('scaffolds a component that compiles and validates with no errors', async () => {
    const result = await server.call('create_lwc_component', FULL);
    expect(result.isError, result.text).toBeFalsy();
    const dir = `${LWC}/accountSummary`;
    expect(result.structuredContent).toMatchObject({ component: 'c/accountSummary', errors: 0 });
    expect(filesUnder(join(project, dir))).toEqual([
      '__tests__/accountSummary.test.js',
      'accountSummary.css',
      'accountSummary.html',
      'accountSummary.js',
      'accountSummary.js-meta.xml',
    ]);
    expect(result.text).toContain('Validation: 0 errors');

    const read = (file: string) => readFileSync(join(project, dir, file), 'utf8');
    const js = read('accountSummary.js');
    expect(js).toContain("import { LightningElement, api, wire } from 'lwc';");
    expect(js).toContain("import ACCOUNT_OWNER_NAME_FIELD from '@salesforce/schema/Account.Owner.Name';");
    expect(js).toContain(
      "@wire(getRecord, { recordId: '$recordId', fields: [ACCOUNT_NAME_FIELD, ACCOUNT_INDUSTRY_FIELD, ACCOUNT_OWNER_NAME_FIELD] })",
    );
    expect(js).toContain('return getFieldValue(this.record.data, ACCOUNT_NAME_FIELD);');
    expect(js).toContain("import getOrders from '@salesforce/apex/AccountController.getOrders';");
    expect(js).toContain("@api heading = 'Key facts';");
    expect(js).toContain('@api showDetails = false;');
    expect(js).toContain('} catch (error) {');
    const meta = read('accountSummary.js-meta.xml');
    expect(meta).toContain('<apiVersion>62.0</apiVersion>');
    expect(meta).toContain('<isExposed>true</isExposed>');
    expect(meta).toContain('<masterLabel>Account Summary</masterLabel>');
    expect(meta).toContain('<description>The account at a glance &amp; its orders</description>');
    expect(meta).toContain('<target>lightning__RecordPage</target>');
    expect(meta).toContain('<target>lightning__FlowScreen</target>');
    expect(meta).toMatch(
      /<targetConfig targets="lightning__RecordPage">[\s\S]*<object>Account<\/object>[\s\S]*?<\/targetConfig>/,
    );
    expect(meta).toContain(
      '<property name="heading" type="String" label="Heading" default="Key facts" required="true"/>',
    );
    expect(meta).toContain(
      '<property name="showDetails" type="Boolean" label="Show Details" default="true"/>',
    );
    const html = read('accountSummary.html');
    expect(html).toContain('<lightning-card title="Account Summary"');
    expect(html).toContain('<template lwc:if={record.data}>');
    const test = read('__tests__/accountSummary.test.js');
    expect(test).toContain('getRecord.emit(');
    expect(test).toContain(
      "expect(getRecord.getLastConfig()).toEqual(expect.objectContaining({ recordId: '001000000000001AAA' }));",
    );
    expect(test).toContain("expect(element.shadowRoot.textContent).toContain('Sample Owner Name')");
    expect(test).toContain("jest.mock('@salesforce/apex/AccountController.getOrders'");

    const files = new Map(
      ['accountSummary.js', 'accountSummary.html', 'accountSummary.css'].map((file) => [file, read(file)]),
    );
    const findings = await compileBundle({ kind: 'lwc', name: 'accountSummary', files });
    expect(findings.filter((finding) => finding.severity === 'error')).toEqual([]);
  });

  it('scaffolds a plain component with no options', async () => {
    const result = await server.call('create_lwc_component', { name: 'plainThing' });
    expect(result.isError, result.text).toBeFalsy();
    const meta = readFileSync(join(project, LWC, 'plainThing/plainThing.js-meta.xml'), 'utf8');
    expect(meta).toContain('<isExposed>false</isExposed>');
    expect(result.structuredContent).toMatchObject({ errors: 0 });
  });

  it('refuses an existing component, overwriting nothing', async () => {
    const file = join(project, LWC, 'accountSummary/accountSummary.js');
    const before = readFileSync(file, 'utf8');
    const result = await server.call('create_lwc_component', { name: 'accountSummary' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('already exists');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses the name of an existing Aura component', async () => {
    mkdirSync(join(project, 'force-app/main/default/aura/legacyThing'), { recursive: true });
    writeFileSync(
      join(project, 'force-app/main/default/aura/legacyThing/legacyThing.cmp'),
      '<aura:component/>',
    );
    const result = await server.call('create_lwc_component', { name: 'legacyThing' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('An Aura component named legacyThing already exists');
    expect(existsSync(join(project, LWC, 'legacyThing'))).toBe(false);
  });

  it('gives clear errors for bad input and writes nothing', async () => {
    const before = filesUnder(project);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'Bad-Name' }, 'is not a valid Lightning Web Component name'],
      [{ name: '../../etc' }, 'is not a valid Lightning Web Component name'],
      [{ name: 'okName', path: '../../etc/lwc' }, ''],
      [{ name: 'okName', path: 'force-app/main/default' }, 'is not an lwc folder'],
      [{ name: 'okName', objects: ['Account'] }, 'add the record-page or record-action target'],
      [{ name: 'okName', recordData: { fields: ['Name'] } }, 'is not a field of an object'],
      [{ name: 'okName', recordData: { fields: ['Account.Name', 'Contact.Name'] } }, 'more than one object'],
      [{ name: 'okName', apexMethod: 'not a method' }, 'is not an Apex method reference'],
      [
        { name: 'okName', properties: [{ name: 'onClick', type: 'String' }] },
        'cannot be a public property name',
      ],
      [
        { name: 'okName', properties: [{ name: 'size', type: 'Integer', default: 'big' }] },
        'does not match its type',
      ],
      [{ name: 'okName', targets: ['nowhere'] }, ''],
    ];
    for (const [args, message] of cases) {
      const result = await server.call('create_lwc_component', args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(result.text).toContain(message);
    }
    expect(filesUnder(project)).toEqual(before);
  });

  it('refuses to write through a symbolic link in the lwc folder, leaving nothing behind', async () => {
    const elsewhere = tempDir();
    const other = makeProject();
    const otherServer = await serveTools([createLwcComponent], other);
    try {
      symlinkSync(elsewhere, join(other, LWC, 'linkedThing'));
      const result = await otherServer.call('create_lwc_component', { name: 'linkedThing' });
      expect(result.isError).toBe(true);
      expect(filesUnder(elsewhere)).toEqual([]);

      mkdirSync(join(other, 'force-app/main/default/aura'), { recursive: true });
      const linkedLwc = join(other, 'pkg2/lwc');
      mkdirSync(join(other, 'pkg2'));
      symlinkSync(elsewhere, linkedLwc);
      const viaFolder = await otherServer.call('create_lwc_component', {
        name: 'freshThing',
        path: 'pkg2/lwc',
      });
      expect(viaFolder.isError).toBe(true);
      expect(filesUnder(elsewhere)).toEqual([]);
      expect(existsSync(join(elsewhere, 'freshThing'))).toBe(false);
    } finally {
      await otherServer.close();
    }
  });
});
