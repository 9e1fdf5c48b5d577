import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApexServer } from '../helpers.js';

let server: LocalOrgTestServer;
let logId: string;

beforeAll(async () => {
  server = await startApexServer();
  // A declared anonymous block leaves its log as an ApexLog, as a real run with a trace flag would.
  const response = await fetch(
    `${server.org.instanceUrl}/services/data/v62.0/tooling/executeAnonymous?anonymousBody=${encodeURIComponent('delete [SELECT Id FROM Account];')}`,
    { headers: { authorization: `Bearer ${server.org.accessToken}` } },
  );
  expect(response.status).toBe(200);
  logId = String([...server.org.state.records.rows('ApexLog')][0]?.Id);
});

afterAll(async () => {
  await server?.close();
});

describe('get_apex_logs', () => {
  it("lists the org user's recent logs", async () => {
    const result = await server.call('get_apex_logs', {});
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain(`1 most recent debug logs of ${server.org.username}:`);
    expect(result.text).toContain(logId);
    expect(result.structuredContent).toMatchObject({ logs: [{ id: logId, user: server.org.username }] });
  });

  it('reads a log: USER_DEBUG and exceptions by default, every line on request, within a size cap', async () => {
    const filtered = await server.call('get_apex_logs', { logId });
    expect(filtered.isError).toBeFalsy();
    expect(filtered.text).toContain('USER_DEBUG|[1]|DEBUG|about to delete');
    expect(filtered.text).toContain('FATAL_ERROR|System.DmlException: Delete failed.');
    expect(filtered.text).not.toContain('SOQL_EXECUTE_BEGIN');

    const whole = await server.call('get_apex_logs', { logId, filter: 'all', maxBytes: 500 });
    expect(whole.text).toContain('SOQL_EXECUTE_BEGIN');
    const first = whole.structuredContent as { body: string; bodyBytes: number; nextOffset?: number };
    if (first.bodyBytes > 500) {
      expect(first.nextOffset).toBeGreaterThan(0);
      const rest = await server.call('get_apex_logs', { logId, filter: 'all', offset: first.nextOffset });
      expect(first.body + (rest.structuredContent as { body: string }).body).toHaveLength(first.bodyBytes);
    }
  });

  it('refuses an id that is not a log, and an unknown log', async () => {
    const wrong = await server.call('get_apex_logs', { logId: '001000000000001AAA' });
    expect(wrong.isError).toBe(true);
    expect(wrong.text).toContain('is not a debug log id');
    const unknown = await server.call('get_apex_logs', { logId: '07L000000000001AAA' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('No debug log 07L000000000001AAA');
  });
});
