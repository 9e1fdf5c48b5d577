import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApexServer, stateRecords } from '../helpers.js';

let server: LocalOrgTestServer;

beforeAll(async () => {
  server = await startApexServer();
});

afterAll(async () => {
  await server?.close();
});

describe('set_debug_logging', () => {
  it('creates a debug level and a trace flag for a limited time, then reuses them', async () => {
    const before = Date.now();
    const first = await server.call('set_debug_logging', { minutes: 15, level: 'DEBUG' });
    expect(first.isError).toBeFalsy();
    expect(first.text).toContain(`Debug logging is on for ${server.org.username}`);
    const flags = stateRecords(server, 'TraceFlag');
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ TracedEntityId: server.org.userId, LogType: 'USER_DEBUG' });
    const expires = Date.parse(String(flags[0]?.ExpirationDate));
    expect(expires - before).toBeGreaterThanOrEqual(15 * 60_000 - 1000);
    expect(expires - before).toBeLessThanOrEqual(15 * 60_000 + 60_000);
    expect(stateRecords(server, 'DebugLevel')).toEqual([
      expect.objectContaining({ DeveloperName: 'SFMCP_DEBUG', ApexCode: 'DEBUG' }),
    ]);

    const again = await server.call('set_debug_logging', { minutes: 60, level: 'DEBUG' });
    expect(again.structuredContent).toMatchObject({ created: false, debugLevel: 'SFMCP_DEBUG' });
    expect(stateRecords(server, 'TraceFlag')).toHaveLength(1);
    expect(stateRecords(server, 'DebugLevel')).toHaveLength(1);

    const off = await server.call('set_debug_logging', { minutes: 0 });
    expect(off.text).toContain('is off');
    expect(Date.parse(String(stateRecords(server, 'TraceFlag')[0]?.ExpirationDate))).toBeLessThanOrEqual(
      Date.now(),
    );
  });

  it('refuses an unknown user and more than a day, changing nothing', async () => {
    const flags = stateRecords(server, 'TraceFlag').length;
    const unknown = await server.call('set_debug_logging', { userName: 'nobody@example.com' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('No user with username nobody@example.com');
    const long = await server.call('set_debug_logging', { minutes: 2000 });
    expect(long.isError).toBe(true);
    expect(stateRecords(server, 'TraceFlag')).toHaveLength(flags);
  });
});
