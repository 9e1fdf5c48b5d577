// The REST shapes, straight over HTTP: what clients parse, status codes, per-record results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSeed } from '../src/seed/index.js';
import { startLocalOrg, type LocalOrg } from '../src/server.js';

let org: LocalOrg;
const today = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  org = await startLocalOrg({ seed: demoSeed({ today }), now: () => today });
});

afterAll(async () => {
  await org?.stop();
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${org.instanceUrl}/services/data/v62.0${path}`, {
    method,
    headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
}

function firstError(body: unknown): { errorCode: string; message: string; fields?: string[] } {
  return (body as Array<{ errorCode: string; message: string; fields?: string[] }>)[0] as never;
}

describe('describe', () => {
  it('describes fields with the attributes clients read', async () => {
    const { body } = await call('GET', '/sobjects/Opportunity/describe');
    const describe = body as {
      name: string;
      fields: Array<Record<string, unknown>>;
      urls: Record<string, string>;
      childRelationships: unknown[];
    };
    expect(describe.name).toBe('Opportunity');
    expect(describe.urls.rowTemplate).toBe('/services/data/v62.0/sobjects/Opportunity/{ID}');
    const amount = describe.fields.find((field) => field.name === 'Amount');
    expect(amount).toMatchObject({
      type: 'currency',
      soapType: 'xsd:double',
      precision: 18,
      scale: 2,
      nillable: true,
      createable: true,
    });
    const account = describe.fields.find((field) => field.name === 'AccountId');
    expect(account).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Account',
      soapType: 'tns:ID',
    });
    const stage = describe.fields.find((field) => field.name === 'StageName');
    expect(stage).toMatchObject({ type: 'picklist', restrictedPicklist: true, nillable: false });
    const id = describe.fields.find((field) => field.name === 'Id');
    expect(id).toMatchObject({ type: 'id', createable: false, updateable: false, idLookup: true });
  });

  it('gives basic object info with GET sobjects/<Object>', async () => {
    const { status, body } = await call('GET', '/sobjects/contact');
    expect(status).toBe(200);
    expect(body).toMatchObject({ objectDescribe: { name: 'Contact', keyPrefix: '003' }, recentItems: [] });
  });
});

describe('single records', () => {
  it('creates with 201 and reads back audit fields', async () => {
    const created = await call('POST', '/sobjects/Case', { Subject: 'Strap broke', Priority: 'High' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^500[a-zA-Z0-9]{15}$/),
      success: true,
      errors: [],
    });
    const read = await call('GET', `/sobjects/Case/${(created.body as { id: string }).id}`);
    expect(read.body).toMatchObject({
      attributes: {
        type: 'Case',
        url: `/services/data/v62.0/sobjects/Case/${(created.body as { id: string }).id}`,
      },
      Subject: 'Strap broke',
      Status: 'New',
      CreatedDate: '2026-06-01T12:00:00.000+0000',
      CreatedById: org.userId,
      IsDeleted: false,
    });
  });

  it('reads by a 15-character id and by external id', async () => {
    const account = [...org.state.records.rows('Account')][0]!;
    const short = await call('GET', `/sobjects/Account/${account.Id.slice(0, 15)}?fields=Name`);
    expect(short.body).toMatchObject({ Id: account.Id, Name: account.Name });
    const byExternalId = await call(
      'GET',
      `/sobjects/Account/External_Id__c/${String(account.External_Id__c)}?fields=Name`,
    );
    expect(byExternalId.body).toMatchObject({ Id: account.Id });
    const notExternal = await call('GET', '/sobjects/Account/Phone/123');
    expect(notExternal.status).toBe(404);
    expect(firstError(notExternal.body).message).toContain(
      'Provided external ID field does not exist or is not accessible: Phone',
    );
  });

  it('upserts with 201 then 200, and keeps the external id out of the body', async () => {
    const first = await call('PATCH', '/sobjects/Account/External_Id__c/NEW-77', { Name: 'Newcomer' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ success: true, created: true });
    const second = await call('PATCH', '/sobjects/Account/External_Id__c/NEW-77', { Rating: 'Warm' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: (first.body as { id: string }).id, created: false });
    const conflicting = await call('PATCH', '/sobjects/Account/External_Id__c/NEW-77', {
      External_Id__c: 'OTHER',
    });
    expect(conflicting.status).toBe(400);
  });

  it('refuses writes an object does not allow and fields clients cannot set', async () => {
    const organization = await call('PATCH', `/sobjects/Organization/${org.orgId}`, { Name: 'Renamed' });
    expect(organization.status).toBe(400);
    expect(firstError(organization.body).errorCode).toBe('INVALID_TYPE_FOR_OPERATION');
    const readOnly = await call('POST', '/sobjects/Opportunity', {
      Name: 'X',
      StageName: 'Prospecting',
      CloseDate: '2026-07-01',
      IsWon: true,
    });
    expect(firstError(readOnly.body)).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      fields: ['IsWon'],
    });
    const withId = await call('POST', '/sobjects/Account', { Id: org.orgId, Name: 'X' });
    expect(firstError(withId.body).errorCode).toBe('INVALID_FIELD');
  });

  it('says which required fields are missing and which value is too long', async () => {
    const missing = await call('POST', '/sobjects/Opportunity', { Name: 'No stage' });
    expect(firstError(missing.body)).toEqual({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [StageName, CloseDate]',
      fields: ['StageName', 'CloseDate'],
    });
    const tooLong = await call('POST', '/sobjects/Account', { Name: 'A', Site: 'x'.repeat(81) });
    expect(firstError(tooLong.body)).toMatchObject({ errorCode: 'STRING_TOO_LONG', fields: ['Site'] });
  });
});

describe('collections', () => {
  it('deletes with allOrNone: one unknown id and nothing is deleted', async () => {
    const ids = [...org.state.records.rows('Lead')].slice(0, 2).map((lead) => lead.Id);
    const missingId = `${ids[0]!.slice(0, 9)}ZZZZZZ`;
    expect(org.state.records.get(missingId)).toBeUndefined();
    const result = await call(
      'DELETE',
      `/composite/sobjects?ids=${[...ids, missingId].join(',')}&allOrNone=true`,
    );
    expect(result.status).toBe(200);
    const results = result.body as Array<{ success: boolean; errors: Array<{ statusCode: string }> }>;
    expect(results.map((entry) => entry.success)).toEqual([false, false, false]);
    expect(results[2]?.errors[0]?.statusCode).toBe('INVALID_CROSS_REFERENCE_KEY');
    expect(ids.every((id) => org.state.records.get(id) !== undefined)).toBe(true);
  });

  it('upserts a collection on an external id', async () => {
    const result = await call('PATCH', '/composite/sobjects/Account/External_Id__c', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Account' }, External_Id__c: 'ERP-1001', Rating: 'Cold' },
        { attributes: { type: 'Account' }, External_Id__c: 'COLL-1', Name: 'Collected' },
        { attributes: { type: 'Account' }, External_Id__c: 'COLL-2' },
      ],
    });
    const results = result.body as Array<{
      success: boolean;
      created?: boolean;
      errors: Array<{ statusCode: string }>;
    }>;
    expect(results.map((entry) => [entry.success, entry.created ?? null])).toEqual([
      [true, false],
      [true, true],
      [false, null],
    ]);
    expect(results[2]?.errors[0]?.statusCode).toBe('REQUIRED_FIELD_MISSING');
  });

  it('refuses more than 200 records and records without a type', async () => {
    const tooMany = await call('POST', '/composite/sobjects', {
      records: Array.from({ length: 201 }, () => ({ attributes: { type: 'Account' }, Name: 'x' })),
    });
    expect(tooMany.status).toBe(400);
    expect(firstError(tooMany.body).errorCode).toBe('EXCEEDED_ID_LIMIT');
    const untyped = await call('POST', '/composite/sobjects', { allOrNone: false, records: [{ Name: 'x' }] });
    expect((untyped.body as Array<{ errors: Array<{ statusCode: string }> }>)[0]?.errors[0]?.statusCode).toBe(
      'INVALID_TYPE',
    );
  });
});

describe('query, search and limits', () => {
  it('needs q and rejects explain plans as unsupported', async () => {
    expect(firstError((await call('GET', '/query')).body).errorCode).toBe('MALFORMED_QUERY');
    expect(firstError((await call('GET', '/query?explain=SELECT+Id+FROM+Account')).body).errorCode).toBe(
      'NOT_SUPPORTED',
    );
  });

  it('runs relationship queries through the engine', async () => {
    const { body } = await call(
      'GET',
      `/query?q=${encodeURIComponent("SELECT Name, Account.Name FROM Contact WHERE LastName = 'O\\'Connor' LIMIT 1")}`,
    );
    const page = body as {
      totalSize: number;
      done: boolean;
      records: Array<{ Name: string; Account: { Name: string } }>;
    };
    expect(page.done).toBe(true);
    expect(page.records[0]?.Name).toContain("O'Connor");
    expect(page.records[0]?.Account.Name).toBeTruthy();
  });
});

describe('replication', () => {
  it('lists updated and deleted ids in a time window', async () => {
    const created = await call('POST', '/sobjects/Lead', { LastName: 'Replica', Company: 'Copy Co' });
    const id = (created.body as { id: string }).id;
    const window = `start=${encodeURIComponent('2026-05-31T00:00:00+00:00')}&end=${encodeURIComponent('2026-06-02T00:00:00+00:00')}`;
    const updated = await call('GET', `/sobjects/Lead/updated/?${window}`);
    expect((updated.body as { ids: string[] }).ids).toContain(id);
    await call('DELETE', `/sobjects/Lead/${id}`);
    const deleted = await call('GET', `/sobjects/Lead/deleted/?${window}`);
    expect(
      (deleted.body as { deletedRecords: Array<{ id: string }> }).deletedRecords.map((entry) => entry.id),
    ).toContain(id);
    const missing = await call('GET', '/sobjects/Lead/updated/');
    expect(missing.status).toBe(400);
  });
});

describe('relationships by external id', () => {
  it('sets a lookup from the parent external id, and says when there is no such parent', async () => {
    const account = [...org.state.records.rows('Account')].find((row) => row.External_Id__c === 'ERP-1002')!;
    const created = await call('POST', '/sobjects/Contact', {
      LastName: 'Linked',
      Account: { External_Id__c: 'ERP-1002' },
    });
    expect(created.status).toBe(201);
    expect(org.state.records.get((created.body as { id: string }).id)?.AccountId).toBe(account.Id);
    const missing = await call('POST', '/sobjects/Contact', {
      LastName: 'Orphan',
      Account: { External_Id__c: 'NOPE' },
    });
    expect(firstError(missing.body)).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: 'Foreign key external ID: NOPE not found for field External_Id__c in entity Account',
    });
    const brokenEscape = await call('GET', '/sobjects/Account/%E0%A4%A');
    expect(brokenEscape.status).toBe(404);
  });
});

describe('composite', () => {
  it('runs subrequests with references to earlier results', async () => {
    const result = await call('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'newAccount',
          body: { Name: 'Composite Co' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Contact',
          referenceId: 'newContact',
          body: { LastName: 'Ref', AccountId: '@{newAccount.id}' },
        },
        {
          method: 'GET',
          url: '/services/data/v62.0/sobjects/Contact/@{newContact.id}?fields=AccountId',
          referenceId: 'readBack',
        },
      ],
    });
    const responses = (
      result.body as {
        compositeResponse: Array<{
          httpStatusCode: number;
          body: Record<string, unknown>;
          referenceId: string;
        }>;
      }
    ).compositeResponse;
    expect(responses.map((response) => response.httpStatusCode)).toEqual([201, 201, 200]);
    expect(responses[2]?.body.AccountId).toBe(responses[0]?.body.id);
  });

  it('rolls every subrequest back with allOrNone when one fails', async () => {
    const before = [...org.state.records.rows('Account')].length;
    const result = await call('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'ok',
          body: { Name: 'Rolled back' },
        },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'bad', body: {} },
      ],
    });
    const responses = (
      result.body as {
        compositeResponse: Array<{ httpStatusCode: number; body: Array<{ errorCode: string }> }>;
      }
    ).compositeResponse;
    expect(responses.map((response) => response.body[0]?.errorCode)).toEqual([
      'PROCESSING_HALTED',
      'REQUIRED_FIELD_MISSING',
    ]);
    expect([...org.state.records.rows('Account')].length).toBe(before);
  });

  it('inserts a record tree and refuses a tree with a bad record', async () => {
    const created = await call('POST', '/composite/tree/Account', {
      records: [
        {
          attributes: { type: 'Account', referenceId: 'acc1' },
          Name: 'Tree Top',
          Contacts: { records: [{ attributes: { type: 'Contact', referenceId: 'con1' }, LastName: 'Leaf' }] },
        },
      ],
    });
    expect(created.status).toBe(201);
    const results = (
      created.body as { hasErrors: boolean; results: Array<{ referenceId: string; id: string }> }
    ).results;
    expect(results.map((entry) => entry.referenceId)).toEqual(['acc1', 'con1']);
    expect(org.state.records.get(results[1]!.id)?.AccountId).toBe(results[0]!.id);

    const before = [...org.state.records.rows('Contact')].length;
    const refused = await call('POST', '/composite/tree/Account', {
      records: [
        {
          attributes: { type: 'Account', referenceId: 'acc2' },
          Name: 'Half',
          Contacts: { records: [{ attributes: { type: 'Contact', referenceId: 'con2' } }] },
        },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      hasErrors: true,
      results: [{ referenceId: 'con2', errors: [{ statusCode: 'REQUIRED_FIELD_MISSING' }] }],
    });
    expect([...org.state.records.rows('Contact')].length).toBe(before);
  });
});

describe('query cursors', () => {
  it('expire after 15 idle minutes', async () => {
    const { QueryCursors } = await import('../src/rest/query.js');
    const { createOrgState } = await import('../src/state/index.js');
    const { generateVolume } = await import('../src/seed/index.js');
    const state = createOrgState(undefined, { now: () => today });
    generateVolume('Account', 450, { org: state });
    let clock = 0;
    const cursors = new QueryCursors(() => clock);
    const first = cursors.run('SELECT Id FROM Account', state, {
      version: '62.0',
      includeDeleted: false,
      batchSize: 200,
    });
    expect(first.records).toHaveLength(200);
    const locator = first.nextRecordsUrl!.split('/').at(-1)!;
    clock += 14 * 60 * 1000;
    expect(cursors.next(locator, '62.0').records).toHaveLength(200);
    clock += 16 * 60 * 1000;
    expect(() => cursors.next(locator, '62.0')).toThrow('invalid query locator');
  });
});
