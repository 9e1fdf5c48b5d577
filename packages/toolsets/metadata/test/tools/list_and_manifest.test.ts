import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { cleanUp, copyFixture } from '../helpers.js';

let server: LocalOrgTestServer;
let project: string;

beforeAll(async () => {
  project = copyFixture();
  server = await createLocalOrgTestServer({ plugins: [plugin], args: ['--project-dir', project] });
  await server.call('deploy_metadata', { sourceDir: ['force-app'] });
});

afterAll(async () => {
  await server?.close();
  cleanUp();
});

describe('list_metadata_types, list_metadata_components, generate_manifest', () => {
  it('lists types, filtered', async () => {
    const result = await server.call('list_metadata_types', { filter: 'apex' });
    expect(result.isError, result.text).toBeFalsy();
    const types = (result.structuredContent as { types: { xmlName: string }[] }).types.map(
      (type) => type.xmlName,
    );
    expect(types).toEqual(expect.arrayContaining(['ApexClass', 'ApexTrigger', 'ApexPage']));
    expect(types).not.toContain('CustomObject');
    expect(result.text).toContain('ApexClass | classes | cls');
  });

  it('lists components, filtered by name, with a cursor when over the budget', async () => {
    const result = await server.call('list_metadata_components', {
      types: ['ApexClass', 'CustomField'],
      nameContains: 'amount',
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(
      (result.structuredContent as { components: { fullName: string }[] }).components.map(
        (row) => row.fullName,
      ),
    ).toEqual(['Invoice__c.Amount__c']);
    const none = await server.call('list_metadata_components', {
      types: ['ApexClass'],
      modifiedSince: 'not a date',
    });
    expect(none.isError).toBe(true);
  });

  it('writes a package.xml from paths and names, and refuses to overwrite or leave the project', async () => {
    const result = await server.call('generate_manifest', {
      sourceDir: ['force-app/main/default/classes'],
      metadata: ['CustomObject:Invoice__c'],
    });
    expect(result.isError, result.text).toBeFalsy();
    const xml = readFileSync(join(project, 'manifest/package.xml'), 'utf8');
    expect(xml).toContain('<members>InvoiceService</members>');
    expect(xml).toContain('<members>Invoice__c</members>');
    expect(xml).toContain('<version>62.0</version>');
    const again = await server.call('generate_manifest', { metadata: ['ApexClass:InvoiceService'] });
    expect(again.isError).toBe(true);
    expect(again.text).toContain('already exists');
    const outside = await server.call('generate_manifest', {
      metadata: ['ApexClass'],
      outputFile: '../package.xml',
    });
    expect(outside.isError).toBe(true);
    expect(outside.text).toContain('outside the project');
  });
});
