// A machine without git: the local org (and so `sfmcp --local-org`) still starts with the demo seed; only
// DevOps Center's Connect resources say that git is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSeed } from '../src/seed/index.js';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { connectTo, failure } from './fixtures/clients.js';

describe('the local org without git on PATH', () => {
  let org: LocalOrg;
  const path = process.env.PATH;
  beforeAll(async () => {
    process.env.PATH = '/nonexistent';
    org = await startLocalOrg({ seed: demoSeed() });
  });
  afterAll(async () => {
    process.env.PATH = path;
    await org?.stop();
  });

  it('starts, answers queries, and says why DevOps Center actions fail', async () => {
    const connection = await connectTo(org);
    const accounts = await connection.query('SELECT Id FROM Account LIMIT 1');
    expect(accounts.totalSize).toBe(1);
    const projects = await connection.query<{ Id: string }>('SELECT Id FROM DevopsProject');
    expect(projects.totalSize).toBeGreaterThan(0);
    const error = await failure(() =>
      connection.request({
        method: 'POST',
        url: `/services/data/v62.0/connect/devops/projects/${projects.records[0]!.Id}/workitem`,
        body: JSON.stringify({ subject: 'x' }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(error.message).toContain('git was not found on PATH');
  });
});
