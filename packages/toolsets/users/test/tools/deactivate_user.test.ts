import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WITH_OR, startUsersServer, tokenOf, userByUsername } from '../seed.js';

describe('deactivate_user', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    server = await startUsersServer();
  });
  afterAll(() => server.close());

  it('previews who loses access and what they hold, then deactivates; inactive users are reported', async () => {
    const args = { users: ['Priya Patel', WITH_OR, 'tom.former@harborlane.sfmcp.test'] };
    const first = await server.call('deactivate_user', args);
    expect(first.isError).toBeFalsy(); // a preview is a successful result
    expect(first.text).toContain('Deactivate 2 users in local-test');
    expect(first.text).toContain(
      'priya.patel@harborlane.sfmcp.test | Priya Patel | Standard User | Sales_Operations, Sales_Team (group)',
    );
    expect(first.text).toContain(`${WITH_OR} | Lee Taylor | Standard User |`);
    expect(userByUsername(server, 'priya.patel@harborlane.sfmcp.test').IsActive).toBe(true);

    const done = await server.call('deactivate_user', { ...args, confirmationToken: tokenOf(first.text) });
    expect(done.isError).toBeFalsy();
    expect(done.text).toContain('Users: 2 deactivated, 1 already inactive.');
    expect(userByUsername(server, 'priya.patel@harborlane.sfmcp.test').IsActive).toBe(false);
    expect(userByUsername(server, WITH_OR).IsActive).toBe(false);
  });

  it('refuses the org user itself, and unknown users, changing nothing', async () => {
    const self = await server.call('deactivate_user', {
      users: [server.org.username, 'wei.chen@harborlane.sfmcp.test'],
    });
    expect(self.isError).toBe(true);
    expect(self.text).toContain('is the user this server is connected as');
    expect(userByUsername(server, 'wei.chen@harborlane.sfmcp.test').IsActive).toBe(true);
    const unknown = await server.call('deactivate_user', { users: 'nobody@nowhere.test' });
    expect(unknown.text).toContain('No user has the username, alias or name "nobody@nowhere.test".');
  });
});
