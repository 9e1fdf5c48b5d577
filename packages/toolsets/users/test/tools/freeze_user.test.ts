import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUsersServer, tokenOf, userByUsername } from '../seed.js';

describe('freeze_user (preview)', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    server = await startUsersServer(['--allow-non-ga-tools']);
  });
  afterAll(() => server.close());

  const loginOf = (username: string) => {
    const user = userByUsername(server, username);
    return [...server.org.state.records.rows('UserLogin')].find((login) => login.UserId === user.Id);
  };

  it('previews who is frozen and freezes only after approval', async () => {
    const args = { users: 'wei.chen@harborlane.sfmcp.test' };
    const first = await server.call('freeze_user', args);
    expect(first.isError).toBeFalsy(); // a preview is a successful result
    expect(first.text).toContain('Confirmation needed');
    expect(first.text).toContain('wei.chen@harborlane.sfmcp.test');
    expect(loginOf('wei.chen@harborlane.sfmcp.test')?.IsFrozen).toBe(false);

    const done = await server.call('freeze_user', { ...args, confirmationToken: tokenOf(first.text) });
    expect(done.isError).toBeFalsy();
    expect(loginOf('wei.chen@harborlane.sfmcp.test')?.IsFrozen).toBe(true);
    expect(userByUsername(server, 'wei.chen@harborlane.sfmcp.test').IsActive).toBe(true);
  });

  it('refuses the org user itself', async () => {
    const result = await server.call('freeze_user', { users: server.org.username });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('is the user this server is connected as');
  });
});
