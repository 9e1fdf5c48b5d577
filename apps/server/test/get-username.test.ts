import { describe, expect, it } from 'vitest';
import { samplePlugin } from './fixtures/sample-plugin.js';
import { authorize, connect } from './helpers.js';

// This file's HOME starts with no sf logins at all.
describe('get_username', () => {
  it('says ALLOW_ALL_ORGS has nothing to allow when the sf CLI is logged in to no org', async () => {
    const server = await connect([samplePlugin], ['--orgs', 'ALLOW_ALL_ORGS']);
    const result = await server.call('get_username', {});
    expect(result.text).toMatch(
      /No org chosen: ALLOW_ALL_ORGS .* logged in to none: the user logs in with sf org login web/,
    );
    await server.close();
  });

  it('asks which org once there are several', async () => {
    await authorize({ username: 'one@acme.com', alias: 'one', instanceUrl: 'http://127.0.0.1:9' });
    await authorize({ username: 'two@acme.com', alias: 'two', instanceUrl: 'http://127.0.0.1:9' });
    const server = await connect([samplePlugin], ['--orgs', 'ALLOW_ALL_ORGS']);
    const result = await server.call('get_username', {});
    expect(result.text).toMatch(/several orgs are allowed .*ask the user which one to use/);
    await server.close();
  });
});
