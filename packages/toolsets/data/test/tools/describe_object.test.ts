import { demoSeed } from '@sfmcp/local-org';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';

let server: LocalOrgTestServer;

beforeAll(async () => {
  const seed = demoSeed();
  seed.customObjects = [
    ...(seed.customObjects ?? []),
    {
      name: 'Invoice__c',
      fields: [
        { name: 'Account__c', type: 'reference', referenceTo: 'Account', childRelationshipName: 'Invoices' },
        { name: 'Status__c', type: 'picklist', values: ['Draft', 'Sent', 'Paid'], restricted: true },
      ],
    },
    {
      name: 'Shipment__c',
      nameField: { label: 'Shipment Number', autoNumberFormat: 'SH-{0000}' },
      fields: [{ name: 'Weight__c', type: 'double', precision: 8, scale: 2 }],
    },
  ];
  server = await createLocalOrgTestServer({ plugins: [plugin], seed });
});
afterAll(async () => {
  await server?.close();
});

interface Described {
  name: string;
  fieldCount: number;
  matched: number;
  fields: {
    name: string;
    type: string;
    required: boolean;
    access?: string;
    referenceTo?: string[];
    picklistValues?: string[];
    details?: Record<string, unknown>;
  }[];
  childRelationships?: { relationshipName: string }[];
}

describe('describe_object', () => {
  it('describes Account compactly: a small fraction of the full describe', async () => {
    const result = await server.call('describe_object', { objectName: 'Account' });
    expect(result.isError, result.text).toBeFalsy();
    const described = result.structuredContent as unknown as Described;
    expect(described.fieldCount).toBe(described.fields.length);
    expect(described.fields.find((field) => field.name === 'Name')).toMatchObject({
      type: 'string(255)',
      required: true,
    });
    expect(described.fields.find((field) => field.name === 'OwnerId')).toMatchObject({
      referenceTo: expect.arrayContaining(['User']),
    });
    expect(described.fields.find((field) => field.name === 'Industry')?.picklistValues).toContain(
      'Manufacturing',
    );
    expect(result.text).toContain('name | label | type | req | access | ref | values');
    expect(result.text).toMatch(/^OwnerId \| {2}\| reference \| {2}\| {2}\| User\/Group \(Owner\) \| $/m);
    expect(result.text.split('\n')[0]).toBe(
      `Org: local-test (${server.org.username}) — sfmcp local org, a test double`,
    );
    // Labels that only spell the API name out ("Billing City") are left out.
    expect(result.text).toMatch(/^BillingCity \| {2}\| string\(40\)/m);
    expect(result.text).toMatch(/^Name \| Account Name \| string\(255\) \| Y/m);
  });

  it('marks the fields a write cannot set: an auto-number Name, audit fields, the Id', async () => {
    const result = await server.call('describe_object', { objectName: 'Shipment__c' });
    expect(result.isError, result.text).toBeFalsy();
    const described = result.structuredContent as unknown as Described;
    const byName = new Map(described.fields.map((field) => [field.name, field]));
    expect(byName.get('Name')).toMatchObject({ required: false, access: 'auto-number, read-only' });
    expect(byName.get('Id')?.access).toBe('read-only');
    expect(byName.get('CreatedDate')?.access).toBe('read-only');
    expect(byName.get('Weight__c')?.access).toBeUndefined();
    expect(result.text).toMatch(
      /^Name \| Shipment Number \| string\(80\) \| {2}\| auto-number, read-only \|/m,
    );
    expect(result.text).toMatch(/^Weight__c \| {2}\| double\(8,2\) \| {2}\| {2}\|/m);
    expect(result.text).toContain('access = what a write cannot set');
  });

  it('filters fields by type, name and keyword, and adds attributes when verbose', async () => {
    const references = (
      await server.call('describe_object', { objectName: 'Contact', fieldTypes: ['reference'] })
    ).structuredContent as unknown as Described;
    expect(references.fields.length).toBeGreaterThan(0);
    expect(references.fields.every((field) => field.type === 'reference')).toBe(true);

    const named = await server.call('describe_object', {
      objectName: 'Account',
      fieldNames: ['Name', 'industry', 'Nmae'],
      verbose: true,
    });
    const described = named.structuredContent as unknown as Described;
    expect(described.fields.map((field) => field.name)).toEqual(['Name', 'Industry']);
    expect(described.fields[0]!.details).toMatchObject({ createable: true, nameField: true });
    expect(named.text).toMatch(/No field Nmae\. Did you mean: Name\b/);

    const keyword = (await server.call('describe_object', { objectName: 'Account', search: 'billing' }))
      .structuredContent as unknown as Described;
    expect(keyword.fields.length).toBeGreaterThan(1);
    expect(keyword.fields.every((field) => /billing/i.test(field.name))).toBe(true);
  });

  it('describes custom objects with their picklists and lists child relationships when asked', async () => {
    const invoice = (await server.call('describe_object', { objectName: 'Invoice__c' }))
      .structuredContent as unknown as Described;
    expect(invoice.fields.find((field) => field.name === 'Status__c')?.picklistValues).toEqual([
      'Draft',
      'Sent',
      'Paid',
    ]);
    const account = await server.call('describe_object', {
      objectName: 'Account',
      fieldNames: ['Id'],
      includeChildRelationships: true,
    });
    expect(
      (account.structuredContent as unknown as Described).childRelationships?.map(
        (child) => child.relationshipName,
      ),
    ).toEqual(expect.arrayContaining(['Contacts', 'Invoices__r']));
  });

  it('suggests the object meant for an unknown name', async () => {
    const result = await server.call('describe_object', { objectName: 'Acount' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/there is no object Acount in local-test .*Did you mean: Account\b/);
  });

  it('refuses an org outside the allowlist', async () => {
    const result = await server.call('describe_object', {
      objectName: 'Account',
      usernameOrAlias: 'prod-org',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('prod-org');
  });
});
