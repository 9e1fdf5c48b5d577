// Through the real clients: deployed permission sets and groups become records a Connection can query and assign.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from '@salesforce/core';
import { ComponentSet, RequestStatus, type DeployResult } from '@salesforce/source-deploy-retrieve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSeed } from '../src/index.js';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { connectTo } from './fixtures/clients.js';
import { deployDeletions, filesUnder, Scratch } from './fixtures/projects.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/permset-project', import.meta.url));
const DEFAULT = 'force-app/main/default';

let org: LocalOrg;
let connection: Connection;
const scratch = new Scratch();

type Row = Record<string, unknown>;

async function deploy(...paths: string[]): Promise<DeployResult> {
  const components = ComponentSet.fromSource(paths);
  const operation = await components.deploy({ usernameOrConnection: connection });
  return operation.pollStatus(50, 60);
}

async function soql(query: string): Promise<Row[]> {
  return (await connection.query<Row>(query)).records.map((record) => {
    const { attributes: _attributes, ...rest } = record;
    return rest;
  });
}

function states(result: DeployResult, type: string): Record<string, string> {
  return Object.fromEntries(
    result
      .getFileResponses()
      .filter((response) => response.type === type)
      .map((response) => [response.fullName, response.state]),
  );
}

function successes(result: DeployResult): Row[] {
  return [result.response.details.componentSuccesses ?? []].flat() as unknown as Row[];
}

function failures(result: DeployResult): Row[] {
  return [result.response.details.componentFailures ?? []].flat() as unknown as Row[];
}

const permissionSetXml = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n${body}\n</PermissionSet>\n`;

let project: string;

beforeAll(async () => {
  org = await startLocalOrg({ seed: demoSeed({ today: new Date('2026-11-24T12:00:00Z') }) });
  connection = await connectTo(org);
  project = scratch.copy(FIXTURE, 'permset-project-');
});

afterAll(async () => {
  await org?.stop();
  scratch.clean();
});

describe('deployed permission sets and groups as records', () => {
  it('deploys an object, a class, two permission sets and a group: each becomes its records', async () => {
    const result = await deploy(join(project, 'force-app'));
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect(states(result, 'PermissionSet')).toEqual({ Expense_User: 'Created', Expense_Approver: 'Created' });
    expect(states(result, 'PermissionSetGroup')).toEqual({ Expense_Team: 'Created' });
    // The tab setting has no record in the local org: the deploy says so, and still deploys the set.
    const user = successes(result).find((entry) => entry.fullName === 'Expense_User');
    expect(user).toMatchObject({ componentType: 'PermissionSet', created: true, problemType: 'Warning' });
    expect(String(user?.problem)).toContain('tabSettings (1)');
    expect(String(user?.id)).toMatch(/^0PS/);

    const sets = await soql(
      "SELECT Id, Name, Label, Description, IsOwnedByProfile, NamespacePrefix, Type, PermissionsApiEnabled, PermissionsRunReports, PermissionsViewSetup, PermissionsModifyAllData FROM PermissionSet WHERE Name IN ('Expense_User', 'Expense_Approver') ORDER BY Name",
    );
    expect(sets.map(({ Id: _id, ...rest }) => rest)).toEqual([
      {
        Name: 'Expense_Approver',
        Label: 'Expense Approver',
        Description: 'Approve the expenses of a team.',
        IsOwnedByProfile: false,
        NamespacePrefix: null,
        Type: 'Regular',
        PermissionsApiEnabled: false,
        PermissionsRunReports: false,
        PermissionsViewSetup: true,
        PermissionsModifyAllData: false,
      },
      {
        Name: 'Expense_User',
        Label: 'Expense User',
        Description: 'Claim expenses and see their totals.',
        IsOwnedByProfile: false,
        NamespacePrefix: null,
        Type: 'Regular',
        PermissionsApiEnabled: true,
        PermissionsRunReports: true,
        PermissionsViewSetup: false,
        PermissionsModifyAllData: false,
      },
    ]);
    expect(String(user?.id)).toBe(sets[1]?.Id);

    expect(
      await soql(
        "SELECT SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, PermissionsDelete, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPermissions WHERE Parent.Name = 'Expense_User' ORDER BY SobjectType",
      ),
    ).toEqual([
      {
        SobjectType: 'Account',
        PermissionsRead: true,
        PermissionsCreate: false,
        PermissionsEdit: false,
        PermissionsDelete: false,
        PermissionsViewAllRecords: false,
        PermissionsModifyAllRecords: false,
      },
      {
        SobjectType: 'Expense__c',
        PermissionsRead: true,
        PermissionsCreate: true,
        PermissionsEdit: true,
        PermissionsDelete: false,
        PermissionsViewAllRecords: false,
        PermissionsModifyAllRecords: false,
      },
    ]);
    // A field neither readable nor editable has no row, as in a real org.
    expect(
      await soql(
        "SELECT SobjectType, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE Parent.Name = 'Expense_User' ORDER BY Field",
      ),
    ).toEqual([
      {
        SobjectType: 'Expense__c',
        Field: 'Expense__c.Amount__c',
        PermissionsRead: true,
        PermissionsEdit: true,
      },
      {
        SobjectType: 'Expense__c',
        Field: 'Expense__c.Category__c',
        PermissionsRead: true,
        PermissionsEdit: false,
      },
    ]);
    const [service] = (
      await connection.tooling.query<{ Id: string }>("SELECT Id FROM ApexClass WHERE Name = 'ExpenseService'")
    ).records;
    expect(
      await soql(
        "SELECT SetupEntityId, SetupEntityType FROM SetupEntityAccess WHERE Parent.Name = 'Expense_User'",
      ),
    ).toEqual([{ SetupEntityId: service?.Id, SetupEntityType: 'ApexClass' }]);

    const [group] = await soql(
      "SELECT Id, DeveloperName, MasterLabel, Description, Status FROM PermissionSetGroup WHERE DeveloperName = 'Expense_Team'",
    );
    expect(group).toMatchObject({
      DeveloperName: 'Expense_Team',
      MasterLabel: 'Expense Team',
      Description: 'Everything the expense team needs.',
      Status: 'Updated',
    });
    expect(
      (
        await soql(
          `SELECT PermissionSet.Name FROM PermissionSetGroupComponent WHERE PermissionSetGroupId = '${String(group?.Id)}' ORDER BY PermissionSet.Name`,
        )
      ).map((row) => (row.PermissionSet as Row).Name),
    ).toEqual(['Expense_Approver', 'Expense_User']);

    // The group's aggregate permission set carries the union of its members' permissions.
    const [aggregate] = await soql(
      `SELECT Id, Type, Label, IsOwnedByProfile, PermissionsApiEnabled, PermissionsRunReports, PermissionsViewSetup FROM PermissionSet WHERE PermissionSetGroupId = '${String(group?.Id)}'`,
    );
    expect(aggregate).toMatchObject({
      Type: 'Group',
      Label: 'Expense Team',
      IsOwnedByProfile: false,
      PermissionsApiEnabled: true,
      PermissionsRunReports: true,
      PermissionsViewSetup: true,
    });
    expect(
      await soql(
        `SELECT SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, PermissionsViewAllRecords FROM ObjectPermissions WHERE ParentId = '${String(aggregate?.Id)}' ORDER BY SobjectType`,
      ),
    ).toEqual([
      {
        SobjectType: 'Account',
        PermissionsRead: true,
        PermissionsCreate: false,
        PermissionsEdit: false,
        PermissionsViewAllRecords: false,
      },
      {
        SobjectType: 'Expense__c',
        PermissionsRead: true,
        PermissionsCreate: true,
        PermissionsEdit: true,
        PermissionsViewAllRecords: true,
      },
    ]);
    expect(
      await soql(
        `SELECT Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId = '${String(aggregate?.Id)}' ORDER BY Field`,
      ),
    ).toEqual([
      { Field: 'Expense__c.Amount__c', PermissionsRead: true, PermissionsEdit: true },
      { Field: 'Expense__c.Approved__c', PermissionsRead: true, PermissionsEdit: true },
      { Field: 'Expense__c.Category__c', PermissionsRead: true, PermissionsEdit: false },
    ]);
  });

  it('retrieves the permission sets and the group file for file, as deployed', async () => {
    const target = scratch.copy(FIXTURE, 'permset-retrieve-');
    rmSync(join(target, 'force-app'), { recursive: true, force: true });
    const components = ComponentSet.fromSource([
      join(project, DEFAULT, 'permissionsets'),
      join(project, DEFAULT, 'permissionsetgroups'),
    ]);
    const operation = await components.retrieve({
      usernameOrConnection: connection,
      output: join(target, 'force-app'),
      merge: false,
    });
    const result = await operation.pollStatus(50, 60);
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    const actual = filesUnder(join(target, 'force-app'));
    const expected = [
      'permissionsets/Expense_User.permissionset-meta.xml',
      'permissionsets/Expense_Approver.permissionset-meta.xml',
      'permissionsetgroups/Expense_Team.permissionsetgroup-meta.xml',
    ];
    for (const path of expected) {
      const retrieved = [...actual].find(([name]) => name.endsWith(path))?.[1];
      expect(retrieved?.toString('utf8'), path).toBe(readFileSync(join(project, DEFAULT, path), 'utf8'));
    }
  });

  it('assigns a deployed permission set and a deployed group to a user through PermissionSetAssignment', async () => {
    const [wei] = await soql("SELECT Id FROM User WHERE Username = 'wei.chen@harborlane.sfmcp.test'");
    const [set] = await soql("SELECT Id FROM PermissionSet WHERE Name = 'Expense_User'");
    const [group] = await soql("SELECT Id FROM PermissionSetGroup WHERE DeveloperName = 'Expense_Team'");
    const created = await connection
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: wei?.Id, PermissionSetId: set?.Id });
    expect(created.success).toBe(true);
    const viaGroup = await connection
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: wei?.Id, PermissionSetGroupId: group?.Id });
    expect(viaGroup.success).toBe(true);
    const assigned = await soql(
      `SELECT PermissionSet.Name, PermissionSet.Type, PermissionSetGroup.DeveloperName FROM PermissionSetAssignment WHERE AssigneeId = '${String(wei?.Id)}' AND PermissionSet.IsOwnedByProfile = false ORDER BY PermissionSet.Type`,
    );
    expect(
      assigned.map((row) => [
        (row.PermissionSet as Row).Type,
        (row.PermissionSet as Row).Type === 'Regular' ? (row.PermissionSet as Row).Name : null,
        (row.PermissionSetGroup as Row | null)?.DeveloperName ?? null,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['Regular', 'Expense_User', null],
        ['Group', null, 'Expense_Team'],
      ]),
    );
  });

  it('a redeploy sets the permission set to what its file now declares, and refreshes its group', async () => {
    const path = join(project, DEFAULT, 'permissionsets/Expense_User.permissionset-meta.xml');
    const [before] = await soql(
      "SELECT Id FROM ObjectPermissions WHERE Parent.Name = 'Expense_User' AND SobjectType = 'Expense__c'",
    );
    const original = readFileSync(path, 'utf8');
    const edited = original
      .replace(
        /<fieldPermissions>\s*<editable>false<\/editable>\s*<field>Expense__c\.Category__c<\/field>\s*<readable>true<\/readable>\s*<\/fieldPermissions>\s*/,
        '',
      )
      .replace(
        /<userPermissions>\s*<enabled>true<\/enabled>\s*<name>RunReports<\/name>\s*<\/userPermissions>\s*/,
        '',
      )
      .replace('<allowDelete>false</allowDelete>', '<allowDelete>true</allowDelete>');
    expect(edited).not.toBe(original);
    writeFileSync(path, edited);
    const result = await deploy(path);
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect(states(result, 'PermissionSet')).toEqual({ Expense_User: 'Changed' });

    expect(
      await soql("SELECT Field FROM FieldPermissions WHERE Parent.Name = 'Expense_User' ORDER BY Field"),
    ).toEqual([{ Field: 'Expense__c.Amount__c' }]);
    expect(
      await soql(
        "SELECT PermissionsApiEnabled, PermissionsRunReports FROM PermissionSet WHERE Name = 'Expense_User'",
      ),
    ).toEqual([{ PermissionsApiEnabled: true, PermissionsRunReports: false }]);
    // The changed object permission is the same row, updated.
    expect(
      await soql(
        "SELECT Id, PermissionsDelete FROM ObjectPermissions WHERE Parent.Name = 'Expense_User' AND SobjectType = 'Expense__c'",
      ),
    ).toEqual([{ Id: before?.Id, PermissionsDelete: true }]);
    // The group's aggregate no longer grants what neither member grants.
    const [group] = await soql("SELECT Id FROM PermissionSetGroup WHERE DeveloperName = 'Expense_Team'");
    const [aggregate] = await soql(
      `SELECT Id, PermissionsRunReports FROM PermissionSet WHERE PermissionSetGroupId = '${String(group?.Id)}'`,
    );
    expect(aggregate?.PermissionsRunReports).toBe(false);
    expect(
      (
        await soql(
          `SELECT Field FROM FieldPermissions WHERE ParentId = '${String(aggregate?.Id)}' ORDER BY Field`,
        )
      ).map((row) => row.Field),
    ).toEqual(['Expense__c.Amount__c', 'Expense__c.Approved__c']);

    const again = await deploy(path);
    expect(states(again, 'PermissionSet')).toEqual({ Expense_User: 'Unchanged' });
  });

  it('updates a permission set the org already has (seeded) rather than making a second one', async () => {
    const [seeded] = await soql("SELECT Id FROM PermissionSet WHERE Name = 'Report_Builder'");
    const dir = scratch.copy(FIXTURE, 'permset-seeded-');
    const path = join(dir, DEFAULT, 'permissionsets/Report_Builder.permissionset-meta.xml');
    writeFileSync(
      path,
      permissionSetXml(
        '    <description>Build, run and export reports.</description>\n    <hasActivationRequired>false</hasActivationRequired>\n    <label>Report Builder</label>\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>RunReports</name>\n    </userPermissions>',
      ),
    );
    const result = await deploy(path);
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect(states(result, 'PermissionSet')).toEqual({ Report_Builder: 'Changed' });
    expect(await soql("SELECT Id, Description FROM PermissionSet WHERE Name = 'Report_Builder'")).toEqual([
      { Id: seeded?.Id, Description: 'Build, run and export reports.' },
    ]);
  });

  it('fails a permission set naming a field or object the org does not have, and rolls the deploy back', async () => {
    const dir = scratch.copy(FIXTURE, 'permset-missing-');
    const sets = join(dir, DEFAULT, 'permissionsets');
    writeFileSync(
      join(sets, 'Broken_Access.permissionset-meta.xml'),
      permissionSetXml(
        [
          '    <fieldPermissions>\n        <editable>true</editable>\n        <field>Expense__c.Mileage__c</field>\n        <readable>true</readable>\n    </fieldPermissions>',
          '    <label>Broken Access</label>',
          '    <objectPermissions>\n        <allowRead>true</allowRead>\n        <object>Trip__c</object>\n    </objectPermissions>',
          '    <classAccesses>\n        <apexClass>NoSuchService</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>',
        ].join('\n'),
      ),
    );
    writeFileSync(
      join(sets, 'Fine_Neighbour.permissionset-meta.xml'),
      permissionSetXml('    <label>Fine Neighbour</label>'),
    );
    const result = await deploy(
      join(sets, 'Broken_Access.permissionset-meta.xml'),
      join(sets, 'Fine_Neighbour.permissionset-meta.xml'),
    );
    expect(result.response.status).toBe(RequestStatus.Failed);
    expect(
      failures(result)
        .map((entry) => [entry.componentType, entry.fullName, entry.problem])
        .sort(),
    ).toEqual([
      ['PermissionSet', 'Broken_Access', 'In field: apexClass - no ApexClass named NoSuchService found'],
      [
        'PermissionSet',
        'Broken_Access',
        'In field: field - no CustomField named Expense__c.Mileage__c found',
      ],
      ['PermissionSet', 'Broken_Access', 'In field: object - no CustomObject named Trip__c found'],
    ]);
    expect(
      await soql("SELECT Id FROM PermissionSet WHERE Name IN ('Broken_Access', 'Fine_Neighbour')"),
    ).toEqual([]);
    const listed = [await connection.metadata.list([{ type: 'PermissionSet' }])].flat();
    expect(listed.map((entry) => entry.fullName)).not.toContain('Fine_Neighbour');
  });

  it('accepts a field of an object deployed alongside, and fails a group naming a missing permission set', async () => {
    const dir = scratch.copy(FIXTURE, 'permset-group-');
    const fields = join(dir, DEFAULT, 'objects/Expense__c/fields');
    writeFileSync(
      join(fields, 'Mileage__c.field-meta.xml'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">\n    <fullName>Mileage__c</fullName>\n    <label>Mileage</label>\n    <precision>8</precision>\n    <scale>1</scale>\n    <type>Number</type>\n</CustomField>\n',
    );
    const sets = join(dir, DEFAULT, 'permissionsets');
    writeFileSync(
      join(sets, 'Mileage_Access.permissionset-meta.xml'),
      permissionSetXml(
        '    <fieldPermissions>\n        <editable>true</editable>\n        <field>Expense__c.Mileage__c</field>\n        <readable>true</readable>\n    </fieldPermissions>\n    <label>Mileage Access</label>',
      ),
    );
    const groups = join(dir, DEFAULT, 'permissionsetgroups');
    writeFileSync(
      join(groups, 'Travel_Team.permissionsetgroup-meta.xml'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSetGroup xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>Travel Team</label>\n    <permissionSets>Mileage_Access</permissionSets>\n    <permissionSets>Travel_Booker</permissionSets>\n    <status>Updated</status>\n</PermissionSetGroup>\n',
    );
    const result = await deploy(
      join(dir, DEFAULT, 'objects'),
      join(sets, 'Mileage_Access.permissionset-meta.xml'),
      join(groups, 'Travel_Team.permissionsetgroup-meta.xml'),
    );
    expect(result.response.status).toBe(RequestStatus.Failed);
    expect(failures(result).map((entry) => [entry.componentType, entry.fullName, entry.problem])).toEqual([
      [
        'PermissionSetGroup',
        'Travel_Team',
        'Cannot create permission set group components since the following permission set names are invalid: Travel_Booker',
      ],
    ]);
    // All or nothing: the field, the permission set and the group are not in the org.
    expect(await soql("SELECT Id FROM PermissionSet WHERE Name = 'Mileage_Access'")).toEqual([]);
    expect(await soql("SELECT Id FROM PermissionSetGroup WHERE DeveloperName = 'Travel_Team'")).toEqual([]);
    const expense = await connection.describe('Expense__c');
    expect(expense.fields.map((field) => field.name)).not.toContain('Mileage__c');

    // Without the group, the field and the permission set naming it deploy together.
    const fine = await deploy(
      join(dir, DEFAULT, 'objects'),
      join(sets, 'Mileage_Access.permissionset-meta.xml'),
    );
    expect(fine.response.status).toBe(RequestStatus.Succeeded);
    expect(await soql("SELECT Field FROM FieldPermissions WHERE Parent.Name = 'Mileage_Access'")).toEqual([
      { Field: 'Expense__c.Mileage__c' },
    ]);
  });

  it('deletes a permission set named by destructiveChanges: its record, rows, assignments and group membership', async () => {
    const [approver] = await soql("SELECT Id FROM PermissionSet WHERE Name = 'Expense_Approver'");
    const [priya] = await soql("SELECT Id FROM User WHERE Username = 'priya.patel@harborlane.sfmcp.test'");
    await connection
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: priya?.Id, PermissionSetId: approver?.Id });
    const result = await deployDeletions(connection, scratch, {
      'destructiveChanges.xml': { PermissionSet: ['Expense_Approver', 'No_Such_Set'] },
    });
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect(successes(result)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          componentType: 'PermissionSet',
          fullName: 'Expense_Approver',
          deleted: true,
        }),
        expect.objectContaining({
          problem: 'No PermissionSet named: No_Such_Set found',
          problemType: 'Warning',
        }),
      ]),
    );
    expect(await soql("SELECT Id FROM PermissionSet WHERE Name = 'Expense_Approver'")).toEqual([]);
    for (const objectName of ['ObjectPermissions', 'FieldPermissions'])
      expect(await soql(`SELECT Id FROM ${objectName} WHERE ParentId = '${String(approver?.Id)}'`)).toEqual(
        [],
      );
    expect(
      await soql(`SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = '${String(approver?.Id)}'`),
    ).toEqual([]);
    const [group] = await soql("SELECT Id FROM PermissionSetGroup WHERE DeveloperName = 'Expense_Team'");
    expect(
      (
        await soql(
          `SELECT PermissionSet.Name FROM PermissionSetGroupComponent WHERE PermissionSetGroupId = '${String(group?.Id)}'`,
        )
      ).map((row) => (row.PermissionSet as Row).Name),
    ).toEqual(['Expense_User']);
    const [aggregate] = await soql(
      `SELECT Id, PermissionsViewSetup FROM PermissionSet WHERE PermissionSetGroupId = '${String(group?.Id)}'`,
    );
    expect(aggregate?.PermissionsViewSetup).toBe(false);
    const listed = [await connection.metadata.list([{ type: 'PermissionSet' }])].flat();
    expect(listed.map((entry) => entry.fullName)).not.toContain('Expense_Approver');
    expect(listed.map((entry) => entry.fullName)).toContain('Expense_User');
  });
});
