import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUsersServer, userByUsername } from '../seed.js';

describe('freeze_user (preview)', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    server = await startUsersServer(['--allow-non-ga-tools']);
  });
  afterAll(() => server.close());

  it('says plainly when the org has no UserLogin (the local org has none), and changes nothing', async () => {
    const result = await server.call('freeze_user', { users: 'wei.chen@harborlane.sfmcp.test' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(
      'This org has no UserLogin object (INVALID_TYPE), where Salesforce keeps the frozen flag',
    );
    expect(result.text).toContain('Nothing was changed.');
    expect(result.text).not.toContain('Confirmation needed');
    expect(userByUsername(server, 'wei.chen@harborlane.sfmcp.test').IsActive).toBe(true);
  });

  it('refuses the org user itself', async () => {
    const result = await server.call('freeze_user', { users: server.org.username });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('is the user this server is connected as');
  });
});
