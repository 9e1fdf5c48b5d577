import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { cleanUp, copyFixture, query } from '../helpers.js';

afterAll(() => cleanUp());

const production = {
  organization: { Name: 'Prod', OrganizationType: 'Enterprise Edition', IsSandbox: false },
};

describe('the trust policy on a production org', () => {
  it('refuses deploys (validations and quick deploys too) and changes nothing; retrieves still work', async () => {
    const project = copyFixture();
    const server = await createLocalOrgTestServer({
      plugins: [plugin],
      seed: production,
      args: ['--project-dir', project],
    });
    try {
      for (const args of [{ sourceDir: ['force-app'] }, { sourceDir: ['force-app'], checkOnly: true }]) {
        const result = await server.call('deploy_metadata', args);
        expect(result.isError).toBe(true);
        expect(result.text).toContain('production org');
        expect(result.text).toContain('--allow-production-writes');
      }
      expect(await query(server, 'SELECT Id FROM ApexClass', true)).toEqual([]);
      const quick = await server.call('quick_deploy', { jobId: '0Af000000000001AAA' });
      expect(quick.text).toContain('production org');
      const retrieved = await server.call('retrieve_metadata', { metadata: ['PermissionSet'] });
      expect(retrieved.isError, retrieved.text).toBeFalsy();
    } finally {
      await server.close();
    }
  });

  it('deploys with --allow-production-writes', async () => {
    const project = copyFixture();
    const server = await createLocalOrgTestServer({
      plugins: [plugin],
      seed: production,
      args: ['--project-dir', project, '--allow-production-writes'],
    });
    try {
      const result = await server.call('deploy_metadata', { sourceDir: ['force-app/main/default/classes'] });
      expect(result.isError, result.text).toBeFalsy();
      expect(await query(server, 'SELECT Id FROM ApexClass', true)).toHaveLength(2);
      expect(existsSync(join(project, 'force-app'))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('refuses create_custom_object with deploy: true before writing anything; without deploy it only writes files', async () => {
    const project = copyFixture();
    const server = await createLocalOrgTestServer({
      plugins: [plugin],
      seed: production,
      args: ['--project-dir', project, '--allow-non-ga-tools'],
    });
    const folder = join(project, 'force-app/main/default/objects/Shipment__c');
    try {
      const refused = await server.call('create_custom_object', { label: 'Shipment', deploy: true });
      expect(refused.isError).toBe(true);
      expect(refused.text).toContain('production org');
      expect(existsSync(folder)).toBe(false);
      expect(server.org.state.schema.getObject('Shipment__c')).toBeUndefined();
      const written = await server.call('create_custom_object', { label: 'Shipment' });
      expect(written.isError, written.text).toBeFalsy();
      expect(existsSync(folder)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
