import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byName, rows, startWriteServer, tokenOf } from '../lib/write-seed.js';

describe('delete_records with a client without elicitation', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    server = await startWriteServer();
  });
  afterAll(() => server.close());

  it('previews and waits for the token, then deletes; the token works once and only for those ids', async () => {
    const call = byName(server, 'Task', 'Call Acme');
    const email = byName(server, 'Task', 'Email Globex');
    const args = { sobject: 'Task', ids: [call.Id] };

    const first = await server.call('delete_records', args);
    expect(first.isError).toBeFalsy(); // a preview is a successful result
    expect(first.text).toContain('Confirmation needed — nothing has been changed yet.');
    expect(first.text).toContain(`Delete 1 Task record in local-test (${server.org.username})`);
    expect(first.text).toContain(`Id | Subject\n--- | ---\n${String(call.Id)} | Call Acme`);
    expect(server.org.state.records.get(call.Id as string)).toBeTruthy();
    const token = tokenOf(first.text);

    const otherIds = await server.call('delete_records', {
      sobject: 'Task',
      ids: [email.Id],
      confirmationToken: token,
    });
    expect(otherIds.isError).toBe(true);
    expect(otherIds.text).toMatch(/^Refused: The confirmation token does not match these arguments/);
    expect(server.org.state.records.get(email.Id as string)).toBeTruthy();
    // Any attempt spends the token: the refused one cannot be retried, even with the right ids.
    const retried = await server.call('delete_records', { ...args, confirmationToken: token });
    expect(retried.text).toMatch(
      /^Refused: The confirmation token is unknown, has expired or was already used/,
    );
    expect(server.org.state.records.get(call.Id as string)).toBeTruthy();

    const fresh = tokenOf((await server.call('delete_records', args)).text);
    const confirmed = await server.call('delete_records', { ...args, confirmationToken: fresh });
    expect(confirmed.isError).toBeFalsy();
    expect(confirmed.text).toMatch(
      /^Org: local-test \(.+\) — sfmcp local org, a test double\nDeleted 1 Task record\./,
    );
    expect(server.org.state.records.get(call.Id as string)).toBeUndefined();
    expect(server.org.state.records.get(call.Id as string, { includeDeleted: true })).toMatchObject({
      IsDeleted: true,
    });

    const reused = await server.call('delete_records', { ...args, confirmationToken: fresh });
    expect(reused.isError).toBe(true);
    expect(reused.text).toContain('Nothing was changed.');
    expect(server.org.state.records.get(email.Id as string)).toBeTruthy();
  });

  it('refuses ids of another object, malformed ids and ids that do not exist', async () => {
    const acme = byName(server, 'Account', 'Acme');
    const email = byName(server, 'Task', 'Email Globex');
    const otherObject = await server.call('delete_records', { sobject: 'Task', ids: [acme.Id] });
    expect(otherObject.text).toMatch(/is not a Task id/);
    const malformed = await server.call('delete_records', { sobject: 'Task', ids: ['00T-nope'] });
    expect(malformed.text).toMatch(/"00T-nope" is not a Salesforce id/);
    const gone = await server.call('delete_records', {
      sobject: 'Task',
      ids: [email.Id, '00T000000000000AAA'],
    });
    expect(gone.text).toContain(
      'No Task record has the id 00T000000000000AAA (deleted, or never existed). Nothing was changed.',
    );
    for (const result of [otherObject, malformed, gone]) expect(result.isError).toBe(true);
    expect(server.org.state.records.get(acme.Id as string)).toBeTruthy();
    expect(server.org.state.records.get(email.Id as string)).toBeTruthy();
  });

  it('refuses a spent token even when the ids still resolve (allOrNone: false reports missing ids per record)', async () => {
    const email = byName(server, 'Task', 'Email Globex');
    const args = { sobject: 'Task', ids: [email.Id], allOrNone: false };
    const token = tokenOf((await server.call('delete_records', args)).text);
    expect((await server.call('delete_records', { ...args, confirmationToken: token })).text).toContain(
      'Deleted 1 Task record.',
    );
    const again = await server.call('delete_records', { ...args, confirmationToken: token });
    expect(again.isError).toBe(true);
    expect(again.text).toMatch(
      /^Refused: The confirmation token is unknown, has expired or was already used/,
    );
    const preview = await server.call('delete_records', args);
    expect(preview.text).toContain(`Not found (will fail): ${String(email.Id)}`);
  });
});

describe('delete_records with elicitation', () => {
  it('deletes what the user accepted and keeps what they declined', async () => {
    const answers = [false, true];
    const asked: string[] = [];
    const server = await startWriteServer({
      onElicit: (message) => {
        asked.push(message);
        return { action: 'accept', content: { confirm: answers.shift() ?? false } };
      },
    });
    const tasks = rows(server, 'Task');
    const args = { sobject: 'Task', ids: tasks.map((task) => task.Id) };
    const declined = await server.call('delete_records', args);
    expect(declined.text).toBe('Cancelled: the user did not approve. Nothing was changed.');
    expect(rows(server, 'Task')).toHaveLength(2);
    expect(asked[0]).toMatch(
      /^Delete 2 Task records in local-test .*\n\nId \| Subject\n--- \| ---\n.*Call Acme\n.*Email Globex\n\nProceed\?$/,
    );

    const accepted = await server.call('delete_records', args);
    expect(accepted.text).toContain('Deleted 2 Task records.');
    expect(rows(server, 'Task')).toHaveLength(0);
    await server.close();
  });
});
