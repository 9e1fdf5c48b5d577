import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { cleanUp, emptyProject, filesUnder, query } from '../helpers.js';

let server: LocalOrgTestServer;
let project: string;
const objects = () => join(project, 'force-app/main/default/objects');

beforeAll(async () => {
  project = emptyProject();
  server = await createLocalOrgTestServer({
    plugins: [plugin],
    args: ['--project-dir', project, '--allow-non-ga-tools'],
  });
});

afterAll(async () => {
  await server?.close();
  cleanUp();
});

const everyType = [
  { label: 'Reference', type: 'Text', length: 80, required: true, externalId: true, unique: true },
  { label: 'Notes', type: 'LongTextArea' },
  { label: 'Quantity', type: 'Number', precision: 8, scale: 0 },
  { label: 'Amount', type: 'Currency' },
  { label: 'Discount', type: 'Percent' },
  { label: 'Paid', type: 'Checkbox' },
  { label: 'Due Date', type: 'Date' },
  { label: 'Sent At', type: 'DateTime' },
  { label: 'Billing Email', type: 'Email' },
  { label: 'Billing Phone', type: 'Phone' },
  { label: 'Portal Link', type: 'Url' },
  {
    label: 'Status',
    type: 'Picklist',
    picklistValues: ['Draft', 'Sent', 'Paid'],
    defaultPicklistValue: 'Draft',
  },
  { label: 'Channels', type: 'MultiselectPicklist', picklistValues: ['Email', 'Post'] },
  { label: 'Customer', type: 'Lookup', referenceTo: 'Account', description: 'Who pays.' },
];

describe('create_custom_object and create_custom_field', () => {
  it('writes an object with every everyday field type, deploys it, and the org takes records for it', async () => {
    const result = await server.call('create_custom_object', {
      label: 'Invoice',
      nameField: { type: 'AutoNumber', displayFormat: 'INV-{0000}' },
      fields: everyType,
      deploy: true,
    });
    expect(result.isError, result.text).toBeFalsy();
    const structured = result.structuredContent as {
      objectName: string;
      files: string[];
      deployed: { status: string; counts: Record<string, number> };
    };
    expect(structured.objectName).toBe('Invoice__c');
    expect(structured.files).toContain(
      'force-app/main/default/objects/Invoice__c/Invoice__c.object-meta.xml',
    );
    expect(structured.files).toContain(
      'force-app/main/default/objects/Invoice__c/fields/Due_Date__c.field-meta.xml',
    );
    expect(structured.deployed).toMatchObject({ status: 'Succeeded' });
    const status = readFileSync(join(objects(), 'Invoice__c/fields/Status__c.field-meta.xml'), 'utf8');
    expect(status).toContain('<type>Picklist</type>');
    expect(status).toContain('<fullName>Draft</fullName>\n                <default>true</default>');

    const insert = await fetch(`${server.org.instanceUrl}/services/data/v62.0/sobjects/Invoice__c`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.org.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        Reference__c: 'R-1',
        Amount__c: 99.5,
        Status__c: 'Sent',
        Paid__c: true,
        Due_Date__c: '2026-12-01',
        Billing_Email__c: 'a@b.test',
        Channels__c: 'Email;Post',
      }),
    });
    expect(insert.status, await insert.clone().text()).toBe(201);
    const rows = await query<{
      Name: string;
      Amount__c: number;
      Status__c: string;
      Paid__c: boolean;
      Channels__c: string;
    }>(
      server,
      "SELECT Name, Amount__c, Status__c, Paid__c, Channels__c FROM Invoice__c WHERE Reference__c = 'R-1'",
    );
    expect(rows).toEqual([
      expect.objectContaining({
        Amount__c: 99.5,
        Status__c: 'Sent',
        Paid__c: true,
        Channels__c: 'Email;Post',
      }),
    ]);

    const bad = await fetch(`${server.org.instanceUrl}/services/data/v62.0/sobjects/Invoice__c`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.org.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Reference__c: 'R-2', Status__c: 'Lost' }),
    });
    expect(bad.status).toBe(400);
  });

  it('adds fields to it (master-detail child, and a standard object), then deploys them with deploy_metadata', async () => {
    const child = await server.call('create_custom_object', {
      label: 'Invoice Line',
      fields: [
        { label: 'Invoice', type: 'MasterDetail', referenceTo: 'Invoice__c', relationshipName: 'Lines' },
      ],
    });
    expect(child.isError, child.text).toBeFalsy();
    expect(
      readFileSync(join(objects(), 'Invoice_Line__c/Invoice_Line__c.object-meta.xml'), 'utf8'),
    ).toContain('<sharingModel>ControlledByParent</sharingModel>');
    const fields = await server.call('create_custom_field', {
      objectName: 'Account',
      fields: [{ label: 'Tier', type: 'Picklist', picklistValues: ['Gold', 'Silver'] }],
    });
    expect(fields.isError, fields.text).toBeFalsy();
    expect(existsSync(join(objects(), 'Account/fields/Tier__c.field-meta.xml'))).toBe(true);
    const more = await server.call('create_custom_field', {
      objectName: 'Invoice__c',
      fields: [{ label: 'Late Fee', type: 'Currency', precision: 10 }],
      deploy: true,
    });
    expect(more.isError, more.text).toBeFalsy();
    expect(more.structuredContent).toMatchObject({ deployed: { status: 'Succeeded' } });
    const deployed = await server.call('deploy_metadata', { sourceDir: ['force-app/main/default/objects'] });
    expect(deployed.isError, deployed.text).toBeFalsy();
    expect(deployed.structuredContent).toMatchObject({ status: 'Succeeded' });
    const line = await fetch(`${server.org.instanceUrl}/services/data/v62.0/sobjects/Account/describe`, {
      headers: { authorization: `Bearer ${server.org.accessToken}` },
    });
    const described = (await line.json()) as { fields: { name: string }[] };
    expect(described.fields.map((field) => field.name)).toContain('Tier__c');
    expect(await query(server, 'SELECT Id, Invoice__r.Name FROM Invoice_Line__c')).toEqual([]);
  });

  it('refuses bad specs with a clear error and writes nothing', async () => {
    const before = filesUnder(project);
    const cases: [Record<string, unknown>, string][] = [
      [{ label: 'Bad', fields: [{ label: 'Long', type: 'Text', length: 300 }] }, 'at most 255'],
      [{ label: 'Bad', fields: [{ label: 'Pick', type: 'Picklist' }] }, 'picklistValues are required'],
      [
        { label: 'Bad', fields: [{ label: 'Pick', type: 'Picklist', picklistValues: ['A', 'a'] }] },
        'listed twice',
      ],
      [{ label: 'Bad', fields: [{ label: 'Ref', type: 'Lookup' }] }, 'referenceTo'],
      [{ label: 'Bad', fields: [{ label: 'Box', type: 'Checkbox', required: true }] }, 'cannot be required'],
      [
        { label: 'Bad', fields: [{ label: 'Amount', type: 'Number', precision: 4, scale: 6 }] },
        'cannot exceed precision',
      ],
      [
        {
          label: 'Bad',
          fields: [
            { label: 'X', type: 'Text' },
            { label: 'X', type: 'Date' },
          ],
        },
        'listed twice',
      ],
      [{ label: 'Invoice' }, 'already exists'],
      [{ label: 'Bad', apiName: 'Bad' }, 'API name'],
    ];
    for (const [args, message] of cases) {
      const result = await server.call('create_custom_object', args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(result.text, JSON.stringify(args)).toContain(message);
    }
    const missing = await server.call('create_custom_field', {
      objectName: 'Nope__c',
      fields: [{ label: 'X', type: 'Text' }],
    });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('not in the project');
    const outside = await server.call('create_custom_object', { label: 'Escape', directory: '/tmp' });
    expect(outside.isError).toBe(true);
    expect(outside.text).toContain('outside the project');
    expect([...filesUnder(project).keys()].sort()).toEqual([...before.keys()].sort());
  });

  it('works without an org when not deploying', async () => {
    const offline = await createLocalOrgTestServer({
      plugins: [plugin],
      args: ['--project-dir', project, '--allow-non-ga-tools'],
    });
    try {
      await offline.org.stop();
      const result = await offline.call('create_custom_field', {
        objectName: 'Contact',
        fields: [{ label: 'Nickname', type: 'Text', length: 40 }],
      });
      expect(result.isError, result.text).toBeFalsy();
      expect(result.text).toContain('Not deployed');
    } finally {
      await offline.close().catch(() => undefined);
    }
  });
});
