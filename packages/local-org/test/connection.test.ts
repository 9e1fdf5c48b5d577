// Through the real clients: @salesforce/core's AuthInfo and Connection (jsforce under it) against startLocalOrg.
import { AuthInfo, Connection, Org, PermissionSetAssignment } from '@salesforce/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSeed, generateVolume } from '../src/seed/index.js';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { connectTo, failure } from './fixtures/clients.js';

let org: LocalOrg;
let connection: Connection;

async function raw(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${org.instanceUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

async function stillServing(): Promise<void> {
  const result = await connection.query<{ Id: string }>('SELECT Id FROM Organization');
  expect(result.totalSize).toBe(1);
}

beforeAll(async () => {
  org = await startLocalOrg({ seed: demoSeed() });
  generateVolume('Account', 4500, { org: org.state, seed: 7 });
  connection = await connectTo(org, null);
});

afterAll(async () => {
  await org?.stop();
});

describe('connecting with only a token', () => {
  it('finds the user, org and latest API version the way @salesforce/core does', async () => {
    const authInfo = await AuthInfo.create({
      accessTokenOptions: {
        accessToken: org.accessToken,
        instanceUrl: org.instanceUrl,
        loginUrl: org.loginUrl,
      },
    });
    const fields = authInfo.getFields();
    expect(fields.username).toBe(org.username);
    expect(fields.orgId).toBe(org.orgId);
    expect(fields.isDevHub).toBe(false);
    const fresh = await Connection.create({ authInfo });
    await fresh.useLatestApiVersion();
    expect(fresh.getApiVersion()).toBe('66.0');
    const info = (await fresh.request(`${org.instanceUrl}/services/oauth2/userinfo`)) as Record<
      string,
      unknown
    >;
    expect(info).toMatchObject({
      user_id: org.userId,
      organization_id: org.orgId,
      preferred_username: org.username,
    });
    const identity = (await fresh.request(`${org.instanceUrl}/id/${org.orgId}/${org.userId}`)) as Record<
      string,
      unknown
    >;
    expect(identity).toMatchObject({ user_id: org.userId, username: org.username });
  });

  it('answers 401 INVALID_SESSION_ID to a wrong token', async () => {
    const response = await fetch(`${org.instanceUrl}/services/data/v66.0/sobjects`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
    const missing = await fetch(`${org.instanceUrl}/services/data/v66.0/query?q=SELECT+Id+FROM+Account`);
    expect(missing.status).toBe(401);
    await stillServing();
  });
});

describe('query', () => {
  it('pages through a large result with autoFetch', async () => {
    const total = [...org.state.records.rows('Account')].length;
    expect(total).toBeGreaterThan(4000);
    const result = await connection.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Account', {
      autoFetch: true,
      maxFetch: 100_000,
    });
    expect(result.totalSize).toBe(total);
    expect(result.records).toHaveLength(total);
    expect(new Set(result.records.map((record) => record.Id)).size).toBe(total);
  });

  it('uses nextRecordsUrl cursors and honours Sforce-Query-Options batchSize', async () => {
    const first = await raw(
      'GET',
      `/services/data/v66.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`,
      undefined,
      {
        'sforce-query-options': 'batchSize=500',
      },
    );
    const page = first.body as { done: boolean; nextRecordsUrl: string; records: unknown[] };
    expect(page.done).toBe(false);
    expect(page.records).toHaveLength(500);
    expect(page.nextRecordsUrl).toMatch(/^\/services\/data\/v66\.0\/query\/01g[a-zA-Z0-9]{15}-500$/);
    const second = await raw('GET', page.nextRecordsUrl);
    expect((second.body as { records: unknown[] }).records).toHaveLength(500);
    // A locator can be read again while its cursor lives, also after the last page was served.
    let last = second.body as { done: boolean; nextRecordsUrl?: string; records: Array<{ Id: string }> };
    let lastUrl = page.nextRecordsUrl;
    while (!last.done) {
      lastUrl = last.nextRecordsUrl as string;
      last = (await raw('GET', lastUrl)).body as typeof last;
    }
    const again = await raw('GET', lastUrl);
    expect((again.body as typeof last).records.map((record) => record.Id)).toEqual(
      last.records.map((record) => record.Id),
    );
    const bad = await raw('GET', '/services/data/v66.0/query/01gXXXXXXXXXXXXXXX-2000');
    expect(bad.status).toBe(400);
    expect((bad.body as Array<{ errorCode: string }>)[0]?.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('sees deleted rows only through queryAll', async () => {
    const created = await connection.sobject('Lead').create({ LastName: 'Gone', Company: 'Vanishing Inc' });
    const id = (created as { id: string }).id;
    await connection.sobject('Lead').destroy(id);
    const live = await connection.query(`SELECT Id FROM Lead WHERE Id = '${id}'`);
    expect(live.totalSize).toBe(0);
    const all = await connection.query(`SELECT Id, IsDeleted FROM Lead WHERE Id = '${id}'`, {
      scanAll: true,
    });
    expect(all.totalSize).toBe(1);
  });

  it('reports a bad query as Salesforce does and keeps serving', async () => {
    const error = await failure(async () => connection.query('SELECT Nope__c FROM Account'));
    expect(error.errorCode).toBe('INVALID_FIELD');
    const unknownObject = await failure(async () => connection.query('SELECT Id FROM Nope__c'));
    expect(unknownObject.errorCode).toBe('INVALID_TYPE');
    await stillServing();
  });
});

describe('records', () => {
  it('creates, reads, updates and deletes one record', async () => {
    const accounts = connection.sobject('Account');
    const created = (await accounts.create({ Name: "O'Hara Supplies", Industry: 'Retail' })) as {
      id: string;
      success: boolean;
    };
    expect(created.success).toBe(true);
    expect(created.id.startsWith('001')).toBe(true);
    const read = (await accounts.retrieve(created.id)) as Record<string, unknown>;
    expect(read.Name).toBe("O'Hara Supplies");
    expect(read.OwnerId).toBe(org.userId);
    await accounts.update({ Id: created.id, Industry: 'Banking' });
    const some = await raw('GET', `/services/data/v66.0/sobjects/Account/${created.id}?fields=Industry`);
    expect(some.body).toMatchObject({ Id: created.id, Industry: 'Banking' });
    expect(some.body).not.toHaveProperty('Name');
    await accounts.destroy(created.id);
    const gone = await raw('GET', `/services/data/v66.0/sobjects/Account/${created.id}`);
    expect(gone.status).toBe(404);
    expect((gone.body as Array<{ errorCode: string }>)[0]?.errorCode).toBe('ENTITY_IS_DELETED');
  });

  it('writes collections all or none', async () => {
    const before = [...org.state.records.rows('Contact')].length;
    const results = (await connection
      .sobject('Contact')
      .create([{ LastName: 'Valid One' }, { FirstName: 'No last name' }, { LastName: 'Valid Two' }], {
        allOrNone: true,
      })) as Array<{ success: boolean; errors: Array<{ statusCode?: string; errorCode?: string }> }>;
    expect(results.map((result) => result.success)).toEqual([false, false, false]);
    const codes = results.map((result) => result.errors[0]?.statusCode ?? result.errors[0]?.errorCode);
    expect(codes).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'REQUIRED_FIELD_MISSING',
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    ]);
    expect([...org.state.records.rows('Contact')].length).toBe(before);

    const partial = (await connection
      .sobject('Contact')
      .create([{ LastName: 'Kept' }, { FirstName: 'Dropped' }], { allOrNone: false })) as Array<{
      success: boolean;
    }>;
    expect(partial.map((result) => result.success)).toEqual([true, false]);
    expect([...org.state.records.rows('Contact')].length).toBe(before + 1);
  });

  it('updates, reads and deletes collections', async () => {
    const created = (await connection
      .sobject('Account')
      .create([{ Name: 'Batch A' }, { Name: 'Batch B' }])) as Array<{ id: string }>;
    const ids = created.map((result) => result.id);
    const updated = (await connection
      .sobject('Account')
      .update(ids.map((Id) => ({ Id, Rating: 'Hot' })))) as Array<{ success: boolean }>;
    expect(updated, JSON.stringify(updated)).toHaveLength(2);
    expect(
      updated.every((result) => result.success),
      JSON.stringify(updated),
    ).toBe(true);
    const read = (await connection.sobject('Account').retrieve(ids, { fields: ['Name', 'Rating'] })) as Array<
      Record<string, unknown>
    >;
    expect(read.map((record) => record.Rating)).toEqual(['Hot', 'Hot']);
    const deleted = (await connection.sobject('Account').destroy(ids)) as Array<{ success: boolean }>;
    expect(
      deleted.every((result) => result.success),
      JSON.stringify(deleted),
    ).toBe(true);
  });

  it('upserts on an external id: created, then updated, then ambiguous', async () => {
    const accounts = connection.sobject('Account');
    const created = (await accounts.upsert(
      { Name: 'Upserted', External_Id__c: 'UP-1' },
      'External_Id__c',
    )) as { id: string; created: boolean };
    expect(created.created).toBe(true);
    const updated = (await accounts.upsert(
      { Name: 'Upserted again', External_Id__c: 'UP-1' },
      'External_Id__c',
    )) as { id: string; created: boolean };
    expect(updated.created).toBe(false);
    expect(updated.id).toBe(created.id);
    expect(org.state.records.get(created.id)?.Name).toBe('Upserted again');

    const product = { Name: 'Twin', IsActive: true };
    await connection.sobject('Product2').create([
      { ...product, ExternalId: 'TWIN' },
      { ...product, ExternalId: 'twin' },
    ]);
    const ambiguous = await raw(
      'PATCH',
      '/services/data/v66.0/sobjects/Product2/ExternalId/TWIN',
      JSON.stringify({ Name: 'Which one' }),
    );
    expect(ambiguous.status).toBe(300);
    expect(ambiguous.body).toHaveLength(2);
  });

  it('rejects bad input with Salesforce errors and keeps serving', async () => {
    const wrongType = await failure(() =>
      connection.sobject('Account').create({ Name: 'X', NumberOfEmployees: 'many' }),
    );
    expect(wrongType.errorCode).toBe('INVALID_TYPE_ON_FIELD_IN_RECORD');
    const unknownField = await failure(() => connection.sobject('Account').create({ Name: 'X', Nope__c: 1 }));
    expect(unknownField.errorCode).toBe('INVALID_FIELD');
    const badPicklist = await failure(() =>
      connection.sobject('Opportunity').create({ Name: 'X', StageName: 'Maybe', CloseDate: '2030-01-01' }),
    );
    expect(badPicklist.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    const malformedReference = await failure(() =>
      connection.sobject('Contact').create({ LastName: 'X', AccountId: '001nope' }),
    );
    expect(malformedReference.errorCode).toBe('MALFORMED_ID');
    const malformedUrl = await raw('GET', '/services/data/v66.0/sobjects/Account/001Dn000000000AAAA');
    expect(malformedUrl.status).toBe(400);
    expect((malformedUrl.body as Array<{ errorCode: string }>)[0]?.errorCode).toBe('MALFORMED_ID');
    const unknownObject = await raw('GET', '/services/data/v66.0/sobjects/Nope__c/describe');
    expect(unknownObject.status).toBe(404);
    expect(unknownObject.body).toEqual([
      { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
    ]);
    const notJson = await raw('POST', '/services/data/v66.0/sobjects/Account', '{"Name": ');
    expect(notJson.status).toBe(400);
    expect((notJson.body as Array<{ errorCode: string }>)[0]?.errorCode).toBe('JSON_PARSER_ERROR');
    const unknownRoute = await raw('GET', '/services/data/v66.0/nowhere');
    expect(unknownRoute.status).toBe(404);
    await stillServing();
  });

  it('refuses an oversized body with 413 and keeps serving', async () => {
    const small = await startLocalOrg({ maxBodyBytes: 1024 });
    try {
      const response = await fetch(`${small.instanceUrl}/services/data/v66.0/sobjects/Account`, {
        method: 'POST',
        headers: { authorization: `Bearer ${small.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Name: 'x'.repeat(5000) }),
      });
      expect(response.status).toBe(413);
      expect(((await response.json()) as Array<{ errorCode: string }>)[0]?.errorCode).toBe(
        'REQUEST_ENTITY_TOO_LARGE',
      );
      const after = await fetch(`${small.instanceUrl}/services/data/v66.0/limits`, {
        headers: { authorization: `Bearer ${small.accessToken}` },
      });
      expect(after.status).toBe(200);
    } finally {
      await small.stop();
    }
  });
});

describe('describe and limits', () => {
  it('describes the org and an object', async () => {
    const global = await connection.describeGlobal();
    const names = global.sobjects.map((entry) => entry.name);
    expect(names).toEqual(
      expect.arrayContaining(['Account', 'Contact', 'Opportunity', 'PermissionSetAssignment', 'User']),
    );
    const account = await connection.describe('Account');
    expect(account.keyPrefix).toBe('001');
    const nameField = account.fields.find((field) => field.name === 'Name');
    expect(nameField).toMatchObject({ type: 'string', length: 255, nillable: false, nameField: true });
    expect(account.childRelationships.map((child) => child.relationshipName)).toEqual(
      expect.arrayContaining(['Contacts', 'Opportunities']),
    );
    const stage = (await connection.describe('Opportunity')).fields.find(
      (field) => field.name === 'StageName',
    );
    expect(stage?.picklistValues?.map((entry) => entry.value)).toContain('Closed Won');
  });

  it('counts API calls in limits', async () => {
    const first = (await connection.limits()) as unknown as Record<
      string,
      { Max: number; Remaining: number }
    >;
    await connection.query('SELECT Id FROM User');
    const second = (await connection.limits()) as unknown as Record<
      string,
      { Max: number; Remaining: number }
    >;
    expect(first.DailyApiRequests?.Max).toBe(15000);
    expect(second.DailyApiRequests?.Remaining).toBeLessThan(first.DailyApiRequests?.Remaining ?? 0);
    expect(second.DataStorageMB?.Remaining).toBeLessThan(second.DataStorageMB?.Max ?? 0);
  });

  it('answers SOSL searches', async () => {
    const result = await connection.search('FIND {Acme} IN NAME FIELDS RETURNING Account(Id, Name)');
    expect(
      result.searchRecords.some((record) => (record as { Name?: string }).Name === 'Acme Corporation'),
    ).toBe(true);
  });
});

describe('@salesforce/core org helpers', () => {
  it('assigns a permission set with PermissionSetAssignment and refuses a second time', async () => {
    const org_ = await Org.create({ connection });
    const assignments = await PermissionSetAssignment.init(org_);
    const priya = [...org.state.records.rows('User')].find((user) => user.LastName === 'Patel')!;
    await assignments.create(priya.Id, 'Apex_Developer');
    const assigned = await connection.query<{ PermissionSet: { Name: string } }>(
      `SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '${priya.Id}' AND PermissionSet.IsOwnedByProfile = false`,
    );
    expect(assigned.records.map((record) => record.PermissionSet.Name)).toEqual(
      expect.arrayContaining(['Apex_Developer', 'Sales_Operations']),
    );
    const again = await failure(() => assignments.create(priya.Id, 'Apex_Developer'));
    expect(again.errorCode ?? again.name).toBe('DUPLICATE_VALUE');
    const unknown = await failure(() => assignments.create(priya.Id, 'No_Such_Set'));
    expect(unknown.message).toContain('No_Such_Set');
  });
});
