import { demoSeed } from '@sfmcp/local-org';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';

let server: LocalOrgTestServer;

beforeAll(async () => {
  const seed = demoSeed();
  seed.customObjects = [...(seed.customObjects ?? []), { name: 'Invoice_Line__c', fields: [] }];
  server = await createLocalOrgTestServer({ plugins: [plugin], seed });
});
afterAll(async () => {
  await server?.close();
});

interface Listed {
  total: number;
  objects: { name: string; label: string; custom: boolean }[];
  nextCursor?: string;
}

describe('list_objects', () => {
  it('finds objects by name or label words', async () => {
    const result = await server.call('list_objects', { search: 'invoice line' });
    expect(result.isError, result.text).toBeFalsy();
    const listed = result.structuredContent as unknown as Listed;
    expect(listed.objects.map((object) => object.name)).toEqual(['Invoice_Line__c']);
    expect(result.text).toContain('name | label | custom | keyPrefix');
    const opportunity = (await server.call('list_objects', { search: 'opportun' }))
      .structuredContent as unknown as Listed;
    expect(opportunity.objects.map((object) => object.name)).toContain('Opportunity');
  });

  it('lists custom objects only, and pages with a cursor', async () => {
    const custom = (await server.call('list_objects', { customOnly: true }))
      .structuredContent as unknown as Listed;
    expect(custom.objects.every((object) => object.custom)).toBe(true);
    const first = (await server.call('list_objects', { limit: 5 })).structuredContent as unknown as Listed;
    expect(first.objects).toHaveLength(5);
    expect(first.nextCursor).toBeDefined();
    const second = (await server.call('list_objects', { limit: 5, cursor: first.nextCursor }))
      .structuredContent as unknown as Listed;
    expect(second.objects[0]!.name).not.toBe(first.objects[0]!.name);
    expect(new Set([...first.objects, ...second.objects].map((object) => object.name)).size).toBe(10);
  });

  it('queries Tooling API objects', async () => {
    const listed = (await server.call('list_objects', { search: 'apexclass', useToolingApi: true }))
      .structuredContent as unknown as Listed;
    expect(listed.objects.map((object) => object.name)).toContain('ApexClass');
  });

  it('refuses an org outside the allowlist', async () => {
    const result = await server.call('list_objects', { usernameOrAlias: 'elsewhere@example.com' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('elsewhere@example.com');
  });
});
