import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dataPlugin from '@sfmcp/data';
import metadataPlugin from '@sfmcp/metadata';
import { createLocalOrgTestServer, makeDxProject } from '@sfmcp/testkit';
import { describe, expect, it } from 'vitest';

describe('describes cached on the org handle', () => {
  it('show a field deployed by another tool at once (the cache is dropped after a call that changes the org)', async () => {
    const project = await makeDxProject(mkdtempSync(join(tmpdir(), 'sfmcp-describe-')));
    const server = await createLocalOrgTestServer({
      plugins: [dataPlugin, metadataPlugin],
      args: ['--project-dir', project, '--allow-non-ga-tools'],
    });
    try {
      const before = await server.call('describe_object', {
        objectName: 'Account',
        fieldNames: ['Loyalty__c'],
      });
      expect(before.text).toContain('No field Loyalty__c');
      const created = await server.call('create_custom_field', {
        objectName: 'Account',
        fields: [{ label: 'Loyalty', type: 'Text', length: 40 }],
        deploy: true,
      });
      expect(created.isError, created.text).toBeFalsy();
      const after = await server.call('describe_object', {
        objectName: 'Account',
        fieldNames: ['Loyalty__c'],
      });
      expect(after.text).not.toContain('No field Loyalty__c');
      expect(after.structuredContent).toMatchObject({ fields: [{ name: 'Loyalty__c', type: 'string(40)' }] });
    } finally {
      await server.close();
    }
  });
});
