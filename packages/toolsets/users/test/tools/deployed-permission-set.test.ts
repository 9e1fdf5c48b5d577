// A permission set and a group deployed through the Metadata API are listed and assigned like any other.
import { crc32 } from 'node:zlib';
import { Org, type Connection } from '@salesforce/core';
import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignedTo, startUsersServer } from '../seed.js';

const METADATA = 'http://soap.sforce.com/2006/04/metadata';

const FILES: Record<string, string> = {
  'package.xml': `<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="${METADATA}">
    <types>
        <members>Field_Service</members>
        <name>PermissionSet</name>
    </types>
    <types>
        <members>Field_Team</members>
        <name>PermissionSetGroup</name>
    </types>
    <version>62.0</version>
</Package>
`,
  'permissionsets/Field_Service.permissionset': `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="${METADATA}">
    <description>Work the cases of the field service team.</description>
    <fieldPermissions>
        <editable>true</editable>
        <field>Case.Subject</field>
        <readable>true</readable>
    </fieldPermissions>
    <hasActivationRequired>false</hasActivationRequired>
    <label>Field Service</label>
    <objectPermissions>
        <allowCreate>true</allowCreate>
        <allowDelete>false</allowDelete>
        <allowEdit>true</allowEdit>
        <allowRead>true</allowRead>
        <modifyAllRecords>false</modifyAllRecords>
        <object>Case</object>
        <viewAllRecords>false</viewAllRecords>
    </objectPermissions>
    <userPermissions>
        <enabled>true</enabled>
        <name>EditTask</name>
    </userPermissions>
</PermissionSet>
`,
  'permissionsetgroups/Field_Team.permissionsetgroup': `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSetGroup xmlns="${METADATA}">
    <description>Field service with reports.</description>
    <label>Field Team</label>
    <permissionSets>Field_Service</permissionSets>
    <permissionSets>Report_Builder</permissionSets>
    <status>Updated</status>
</PermissionSetGroup>
`,
};

/** A zip of the files, stored (no compression), as the Metadata API's deploy takes one. */
function zipOf(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, 'utf8');
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A Connection through the sf auth files the test server was given (its temporary HOME). */
async function connectionTo(server: LocalOrgTestServer): Promise<Connection> {
  const org = await Org.create({ aliasOrUsername: server.alias });
  const connection = org.getConnection();
  connection.setApiVersion('62.0');
  return connection;
}

type Row = {
  Name: string;
  Label: string;
  Kind: string;
  ActiveUsers: number;
  Objects: string;
  System: string;
};

describe('a deployed permission set', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    server = await startUsersServer();
    const connection = await connectionTo(server);
    const started = await connection.metadata.deploy(zipOf(FILES), { rollbackOnError: true });
    let status = await connection.metadata.checkDeployStatus(started.id, true);
    for (let attempt = 0; !status.done && attempt < 100; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await connection.metadata.checkDeployStatus(started.id, true);
    }
    if (String(status.status) !== 'Succeeded') throw new Error(`deploy failed: ${JSON.stringify(status)}`);
  });
  afterAll(() => server.close());

  it('is listed with what it grants, and its group too', async () => {
    const result = await server.call('list_permission_sets', { name: 'field' });
    expect(result.isError, result.text).toBeFalsy();
    const rows = result.structuredContent?.permissionSets as Row[];
    expect(rows.map((row) => [row.Name, row.Label, row.Kind]).sort()).toEqual([
      ['Field_Service', 'Field Service', 'PermissionSet'],
      ['Field_Team', 'Field Team', 'PermissionSetGroup'],
    ]);
    expect(rows.find((row) => row.Name === 'Field_Service')).toMatchObject({
      ActiveUsers: 0,
      Objects: 'Case:RCE',
      System: 'EditTask',
    });
    expect(result.text).toContain('Field_Service | Field Service | PermissionSet | 0 | Case:RCE | EditTask');
  });

  it('is assigned to users by name, and the group by its label', async () => {
    const result = await server.call('assign_permission_set', {
      permissionSetName: 'Field_Service',
      onBehalfOf: ['wei.chen@harborlane.sfmcp.test', 'Maria Garcia'],
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toContain('Assignments: 2 assigned.');
    expect(assignedTo(server, 'wei.chen@harborlane.sfmcp.test')).toContain('Field_Service');
    expect(assignedTo(server, 'maria.garcia@harborlane.sfmcp.test')).toContain('Field_Service');

    const group = await server.call('assign_permission_set', {
      permissionSetName: 'Field Team',
      onBehalfOf: 'wei.chen@harborlane.sfmcp.test',
    });
    expect(group.isError, group.text).toBeFalsy();
    expect(group.text).toContain('Assignments: 1 assigned.');
    expect(assignedTo(server, 'wei.chen@harborlane.sfmcp.test')).toContain('Field_Team (group)');

    const listed = await server.call('list_permission_sets', { name: 'field' });
    const rows = listed.structuredContent?.permissionSets as Row[];
    expect(rows.find((row) => row.Name === 'Field_Service')?.ActiveUsers).toBe(2);
  });
});
