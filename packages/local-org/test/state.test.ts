import { describe, expect, it } from 'vitest';
import { SalesforceApiError } from '../src/errors.js';
import { caseSafeSuffix, createOrgState, isWellFormedId, toId18 } from '../src/state/index.js';

function errorOf(work: () => unknown): SalesforceApiError {
  try {
    work();
  } catch (error) {
    if (error instanceof SalesforceApiError) return error;
    throw error;
  }
  throw new Error('expected a SalesforceApiError');
}

const fixedNow = () => new Date('2026-03-15T10:00:00Z');

describe('ids', () => {
  it('computes the case-safe suffix Salesforce documents', () => {
    // A well-known pair: 001A0000006Vm9r → 001A0000006Vm9rIAC.
    expect(caseSafeSuffix('001A0000006Vm9r')).toBe('IAC');
    expect(toId18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(isWellFormedId('001A0000006Vm9rIAC')).toBe(true);
    expect(isWellFormedId('001A0000006Vm9rAAA')).toBe(false);
    expect(isWellFormedId('not-an-id')).toBe(false);
  });
});

describe('createOrgState', () => {
  it('has an organization, standard profiles and an admin user', () => {
    const org = createOrgState(undefined, { now: fixedNow });
    expect(org.orgId.startsWith('00D')).toBe(true);
    expect(org.userId.startsWith('005')).toBe(true);
    expect(org.orgId).toHaveLength(18);
    const user = org.records.get(org.userId);
    expect(user?.Username).toBe(org.username);
    const profile = org.records.get(String(user?.ProfileId));
    expect(profile?.Name).toBe('System Administrator');
    const owned = [...org.records.rows('PermissionSet')].filter((row) => row.IsOwnedByProfile === true);
    expect(owned.length).toBeGreaterThanOrEqual(4);
    expect(org.records.get(org.orgId)?.OrganizationType).toBe('Developer Edition');
  });

  it('looks names up case-insensitively and gives ids with the right key prefix', () => {
    const org = createOrgState(undefined, { now: fixedNow });
    expect(org.schema.getObject('account')?.name).toBe('Account');
    expect(org.schema.getField('ACCOUNT', 'billingcity')?.name).toBe('BillingCity');
    const account = org.records.insert('account', { name: 'Acme', industry: 'Banking' });
    expect(account.Id.slice(0, 3)).toBe('001');
    expect(isWellFormedId(account.Id)).toBe(true);
    expect(account.Name).toBe('Acme');
    expect(account.Industry).toBe('Banking');
    expect(account.CreatedDate).toBe('2026-03-15T10:00:00.000+0000');
    expect(account.OwnerId).toBe(org.userId);
    expect(account.CreatedById).toBe(org.userId);
    expect(org.schema.objectForId(account.Id)?.name).toBe('Account');
    expect(org.records.get(account.Id.slice(0, 15))?.Id).toBe(account.Id);
  });

  it('rejects bad writes with the errors Salesforce answers', () => {
    const org = createOrgState(undefined, { now: fixedNow });
    expect(errorOf(() => org.records.insert('Account', {})).errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(errorOf(() => org.records.insert('Account', { Name: 'x'.repeat(256) })).errorCode).toBe(
      'STRING_TOO_LONG',
    );
    expect(errorOf(() => org.records.insert('Account', { Name: 'A', Bogus__c: 1 })).errorCode).toBe(
      'INVALID_FIELD',
    );
    expect(errorOf(() => org.records.insert('Account', { Name: 'A', AnnualRevenue: 'lots' })).errorCode).toBe(
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
    );
    expect(
      errorOf(() => org.records.insert('Account', { Name: 'A', CreatedDate: '2020-01-01' })).errorCode,
    ).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(errorOf(() => org.records.insert('Contact', { LastName: 'A', AccountId: 'nope' })).errorCode).toBe(
      'MALFORMED_ID',
    );
    expect(
      errorOf(() => org.records.insert('Contact', { LastName: 'A', AccountId: org.userId })).errorCode,
    ).toBe('FIELD_INTEGRITY_EXCEPTION');
    const stage = errorOf(() =>
      org.records.insert('Opportunity', { Name: 'O', StageName: 'Dreaming', CloseDate: '2026-04-01' }),
    );
    expect(stage.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(stage.fields).toEqual(['StageName']);
    expect(
      errorOf(() =>
        org.records.insert('Opportunity', { Name: 'O', StageName: 'Prospecting', CloseDate: '2026-02-30' }),
      ).errorCode,
    ).toBe('INVALID_TYPE_ON_FIELD_IN_RECORD');
    expect(
      errorOf(() => org.records.insert('Contact', { LastName: 'A', Email: 'not an email' })).errorCode,
    ).toBe('INVALID_EMAIL_ADDRESS');
    expect(errorOf(() => org.records.insert('Nope__c', {})).errorCode).toBe('INVALID_TYPE');
  });

  it('derives what a real org derives', () => {
    const org = createOrgState(undefined, { now: fixedNow });
    const contact = org.records.insert('Contact', {
      FirstName: 'Siobhan',
      LastName: "O'Brien",
      MailingCity: 'Dublin',
    });
    expect(contact.Name).toBe("Siobhan O'Brien");
    expect(contact.MailingAddress).toMatchObject({ city: 'Dublin', street: null });
    const opportunity = org.records.insert('Opportunity', {
      Name: 'Deal',
      StageName: 'Closed Won',
      CloseDate: '2026-05-10',
      Amount: 1000,
    });
    expect(opportunity).toMatchObject({
      Probability: 100,
      IsClosed: true,
      IsWon: true,
      ForecastCategoryName: 'Closed',
      ExpectedRevenue: 1000,
      FiscalQuarter: 2,
    });
    const updated = org.records.update('Opportunity', opportunity.Id, { StageName: 'Prospecting' });
    expect(updated).toMatchObject({ Probability: 10, IsClosed: false, IsWon: false, ExpectedRevenue: 100 });
    const first = org.records.insert('Case', { Subject: 'Broken' });
    const second = org.records.insert('Case', { Subject: 'Also broken', Status: 'Closed' });
    expect(first.CaseNumber).toBe('00001000');
    expect(second.CaseNumber).toBe('00001001');
    expect(second.IsClosed).toBe(true);
  });

  it('soft-deletes, cascades to children, and keeps deleted rows for queryAll', () => {
    const org = createOrgState(undefined, { now: fixedNow });
    const account = org.records.insert('Account', { Name: 'Gone' });
    const contact = org.records.insert('Contact', { LastName: 'Child', AccountId: account.Id });
    org.records.delete('Account', account.Id);
    expect(org.records.get(account.Id)).toBeUndefined();
    expect(org.records.get(account.Id, { includeDeleted: true })?.IsDeleted).toBe(true);
    expect(org.records.get(contact.Id)).toBeUndefined();
    expect([...org.records.rows('Account', { includeDeleted: true })].map((row) => row.Id)).toContain(
      account.Id,
    );
    expect(errorOf(() => org.records.delete('Account', account.Id)).errorCode).toBe('ENTITY_IS_DELETED');
  });

  it('undoes everything a failed transaction did', () => {
    const org = createOrgState(undefined, { now: fixedNow });
    const kept = org.records.insert('Account', { Name: 'Kept' });
    expect(() =>
      org.records.transaction(() => {
        org.records.insert('Account', { Name: 'Rolled back' });
        org.records.update('Account', kept.Id, { Name: 'Renamed' });
        org.records.delete('Account', kept.Id);
        org.records.insert('Account', {});
      }),
    ).toThrow(SalesforceApiError);
    expect([...org.records.rows('Account')].map((row) => row.Name)).toEqual(['Kept']);
  });

  it('keeps unique values unique and allows duplicate-free permission set assignments only', () => {
    const org = createOrgState(undefined, { now: fixedNow });
    const permissionSet = org.records.insert('PermissionSet', { Name: 'Sales_Ops', Label: 'Sales Ops' });
    org.records.insert('PermissionSetAssignment', {
      AssigneeId: org.userId,
      PermissionSetId: permissionSet.Id,
    });
    expect(
      errorOf(() =>
        org.records.insert('PermissionSetAssignment', {
          AssigneeId: org.userId,
          PermissionSetId: permissionSet.Id,
        }),
      ).errorCode,
    ).toBe('DUPLICATE_VALUE');
    const profileId = String(org.records.get(org.userId)?.ProfileId);
    expect(
      errorOf(() =>
        org.records.insert('User', {
          Username: org.username.toUpperCase(),
          LastName: 'Dup',
          Alias: 'dup',
          Email: 'dup@example.com',
          ProfileId: profileId,
          TimeZoneSidKey: 'GMT',
          LocaleSidKey: 'en_US',
          EmailEncodingKey: 'UTF-8',
          LanguageLocaleKey: 'en_US',
        }),
      ).errorCode,
    ).toBe('DUPLICATE_VALUE');
  });
});

describe('seeds', () => {
  it('resolves symbolic references forwards and backwards and adds custom objects', () => {
    const org = createOrgState(
      {
        organization: { Name: 'Acme Corp', OrganizationType: 'Enterprise Edition', IsSandbox: true },
        users: [{ '@ref': 'ceo', FirstName: 'Ada', LastName: 'Lovelace', Username: 'ada@acme.test' }],
        customObjects: [
          {
            name: 'Invoice__c',
            fields: [
              {
                name: 'Account__c',
                type: 'reference',
                referenceTo: 'Account',
                childRelationshipName: 'Invoices',
              },
              { name: 'Total__c', type: 'currency' },
            ],
          },
          {
            name: 'Account',
            fields: [{ name: 'External_Id__c', type: 'string', length: 40, externalId: true, unique: true }],
          },
        ],
        records: {
          Contact: [{ LastName: 'Forward', AccountId: '@acme' }],
          Account: [{ '@ref': 'acme', Name: 'Acme', External_Id__c: 'A-1', OwnerId: '@ceo' }],
          Invoice__c: [{ Name: 'INV-1', Account__c: '@acme', Total__c: 12.345 }],
        },
      },
      { now: fixedNow },
    );
    expect(org.username).toBe('ada@acme.test');
    expect(org.records.get(org.orgId)).toMatchObject({
      Name: 'Acme Corp',
      OrganizationType: 'Enterprise Edition',
      IsSandbox: true,
    });
    const acmeId = org.refs.get('acme') as string;
    expect(org.records.get(acmeId)?.OwnerId).toBe(org.userId);
    expect([...org.records.rows('Contact')][0]?.AccountId).toBe(acmeId);
    const invoice = [...org.records.rows('Invoice__c')][0];
    expect(invoice?.Id.startsWith('a0')).toBe(true);
    expect(invoice?.Total__c).toBe(12.35);
    expect(org.schema.childRelationships('Account').map((child) => child.relationshipName)).toEqual(
      expect.arrayContaining(['Contacts', 'Opportunities', 'Invoices__r']),
    );
    expect(org.records.findByField('Account', 'external_id__c', 'a-1')).toEqual([acmeId]);
  });

  it('names an unknown reference', () => {
    expect(() =>
      createOrgState({ records: { Contact: [{ LastName: 'X', AccountId: '@missing' }] } }),
    ).toThrow(/@missing/);
  });
});

describe('permission sets as the platform keeps them', () => {
  it('assigns every user the permission set of their profile, and moves it with the profile', () => {
    const org = createOrgState(undefined, { now: fixedNow });
    const profileSet = (profileId: unknown) =>
      [...org.records.rows('PermissionSet')].find(
        (row) => row.ProfileId === profileId && row.IsOwnedByProfile === true,
      );
    const assignmentsOf = (userId: string) =>
      [...org.records.rows('PermissionSetAssignment')].filter((row) => row.AssigneeId === userId);
    const admin = org.records.get(org.userId);
    expect(assignmentsOf(org.userId).map((row) => row.PermissionSetId)).toEqual([
      profileSet(admin?.ProfileId)?.Id,
    ]);
    const standard = [...org.records.rows('Profile')].find((row) => row.Name === 'Standard User');
    org.records.update('User', org.userId, { ProfileId: standard?.Id });
    expect(assignmentsOf(org.userId).map((row) => row.PermissionSetId)).toEqual([
      profileSet(standard?.Id)?.Id,
    ]);
    const profileOwned = profileSet(standard?.Id);
    expect(
      errorOf(() =>
        org.records.insert('PermissionSetAssignment', {
          AssigneeId: org.userId,
          PermissionSetId: profileOwned?.Id,
        }),
      ).errorCode,
    ).toBe('INVALID_CROSS_REFERENCE_KEY');
  });

  it('gives a permission set group its aggregate permission set, and group assignments point at it', () => {
    const org = createOrgState(undefined, { now: fixedNow });
    const group = org.records.insert('PermissionSetGroup', { DeveloperName: 'Sales', MasterLabel: 'Sales' });
    const aggregate = [...org.records.rows('PermissionSet')].find(
      (row) => row.PermissionSetGroupId === group.Id,
    );
    expect(aggregate).toMatchObject({ Type: 'Group', IsOwnedByProfile: false });
    const assignment = org.records.insert('PermissionSetAssignment', {
      AssigneeId: org.userId,
      PermissionSetGroupId: group.Id,
    });
    expect(assignment.PermissionSetId).toBe(aggregate?.Id);
    expect(
      errorOf(() =>
        org.records.insert('PermissionSetAssignment', {
          AssigneeId: org.userId,
          PermissionSetGroupId: group.Id,
        }),
      ).errorCode,
    ).toBe('DUPLICATE_VALUE');
  });
});

describe('schema changes', () => {
  it('gives existing rows a default for a field added later, and undoes schema changes with the transaction', () => {
    const org = createOrgState(undefined, { now: fixedNow });
    const account = org.records.insert('Account', { Name: 'Before' });
    org.schema.upsertField('Account', {
      name: 'Is_Key__c',
      label: 'Is Key',
      type: 'boolean',
      nillable: false,
      createable: true,
      updateable: true,
      defaultedOnCreate: true,
      defaultValue: false,
      custom: true,
    });
    expect(org.records.get(account.Id)?.Is_Key__c).toBe(false);
    expect(() =>
      org.records.transaction(() => {
        org.schema.upsertObject({ ...org.schema.getObject('Account')!, label: 'Renamed' });
        throw new Error('deploy failed');
      }),
    ).toThrow('deploy failed');
    expect(org.schema.getObject('Account')?.label).toBe('Account');
  });
});

describe('child relationships', () => {
  it('uses the names Salesforce gives standard children', () => {
    const org = createOrgState(undefined, { now: fixedNow });
    const names = (parent: string) =>
      org.schema
        .childRelationships(parent)
        .map((child) => `${child.relationshipName}:${child.childSObject}.${child.field}`);
    expect(names('Account')).toEqual(
      expect.arrayContaining([
        'Contacts:Contact.AccountId',
        'Opportunities:Opportunity.AccountId',
        'Cases:Case.AccountId',
        'ChildAccounts:Account.ParentId',
        'Tasks:Task.WhatId',
      ]),
    );
    expect(names('User')).toEqual(
      expect.arrayContaining(['PermissionSetAssignments:PermissionSetAssignment.AssigneeId']),
    );
    expect(names('PermissionSet')).toEqual(
      expect.arrayContaining([
        'Assignments:PermissionSetAssignment.PermissionSetId',
        'ObjectPerms:ObjectPermissions.ParentId',
      ]),
    );
    expect(
      org.schema.childRelationships('Account').find((child) => child.relationshipName === 'Contacts')
        ?.cascadeDelete,
    ).toBe(true);
  });
});

describe('UserLogin', () => {
  it('comes with every user, and only IsFrozen can be changed', () => {
    const org = createOrgState();
    const profile = [...org.records.rows('Profile')][0]!;
    const user = org.records.insert('User', {
      LastName: 'Frost',
      Username: 'frost@example.com',
      Email: 'frost@example.com',
      Alias: 'frost',
      ProfileId: profile.Id,
      TimeZoneSidKey: 'GMT',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
    });
    const logins = [...org.records.rows('UserLogin')].filter((login) => login.UserId === user.Id);
    expect(logins).toHaveLength(1);
    expect(logins[0]).toMatchObject({ IsFrozen: false, IsPasswordLocked: false });
    expect(org.records.update('UserLogin', logins[0]!.Id, { IsFrozen: true }).IsFrozen).toBe(true);
    expect(() => org.records.update('UserLogin', logins[0]!.Id, { UserId: user.Id })).toThrow();
  });
});
