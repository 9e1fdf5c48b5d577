// Through the real clients: what a deploy builds is true for custom metadata relationships, platform
// events, geolocation fields and auto number formats (SDR deploys, @salesforce/core describes, writes, queries).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from '@salesforce/core';
import { ComponentSet, RequestStatus, type DeployResult } from '@salesforce/source-deploy-retrieve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { connectTo, failure } from './fixtures/clients.js';
import { Scratch } from './fixtures/projects.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/schema-project', import.meta.url));
const RECORD_NAMESPACES =
  'xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"';

let org: LocalOrg;
let connection: Connection;
let deployed: DeployResult;
const scratch = new Scratch();

async function deploy(dir: string): Promise<DeployResult> {
  const components = ComponentSet.fromSource(join(dir, 'force-app'));
  const operation = await components.deploy({ usernameOrConnection: connection });
  return operation.pollStatus(50, 60);
}

/** A project of its own with only the files given (paths below force-app/main/default). */
function project(files: Record<string, string>): string {
  const dir = scratch.dir('schema-bad-');
  writeFileSync(
    join(dir, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }),
  );
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, 'force-app/main/default', path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

function fieldMapRecord(label: string, values: Record<string, string>): string {
  const entries = Object.entries(values)
    .map(
      ([field, value]) =>
        `    <values>\n        <field>${field}</field>\n        <value xsi:type="xsd:string">${value}</value>\n    </values>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CustomMetadata ${RECORD_NAMESPACES}>\n    <label>${label}</label>\n${entries}\n</CustomMetadata>\n`;
}

interface DescribedField {
  name: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  autoNumber: boolean;
  compoundFieldName: string | null;
  displayLocationInDecimal: boolean;
  scale: number;
  referenceTo: string[];
  relationshipName: string | null;
  custom: boolean;
  label: string;
  length: number;
}

async function fieldsOf(objectName: string): Promise<Map<string, DescribedField>> {
  const describe = await connection.describe(objectName);
  return new Map(
    (describe.fields as unknown as DescribedField[]).map((field) => [field.name, field] as const),
  );
}

beforeAll(async () => {
  org = await startLocalOrg();
  connection = await connectTo(org);
  deployed = await deploy(scratch.copy(FIXTURE, 'schema-project-'));
});

afterAll(async () => {
  await org?.stop();
  scratch.clean();
});

describe('deploying the schema project', () => {
  it('succeeds and reports every object, field and record it built as Created', () => {
    expect(deployed.response.status).toBe(RequestStatus.Succeeded);
    expect(deployed.response.success).toBe(true);
    const rows = deployed.getFileResponses();
    const names = (type: string) =>
      rows
        .filter((row) => row.type === type)
        .map((row) => row.fullName)
        .sort();
    expect(names('CustomObject')).toEqual([
      'Field_Map__mdt',
      'Mapping_Set__mdt',
      'Order_Event__e',
      'Shipment__c',
    ]);
    expect(names('CustomField')).toEqual([
      'Field_Map__mdt.Column__c',
      'Field_Map__mdt.Target_Field__c',
      'Field_Map__mdt.Target_Object__c',
      'Mapping_Set__mdt.Default_Map__c',
      'Order_Event__e.Order_Number__c',
      'Order_Event__e.Shipped__c',
      'Shipment__c.Destination__c',
      'Shipment__c.Tracking_Code__c',
      'Shipment__c.Weight_Kg__c',
    ]);
    expect(names('CustomMetadata')).toEqual([
      'Field_Map.Account_Industry',
      'Field_Map.Shipment_Weight',
      'Mapping_Set.Default',
    ]);
    expect(rows.every((row) => row.state === 'Created')).toBe(true);
  });
});

describe('custom metadata relationships', () => {
  it('describes MetadataRelationship fields as text pointing where the metadata says', async () => {
    const fields = await fieldsOf('Field_Map__mdt');
    expect(fields.get('Target_Object__c')).toMatchObject({
      type: 'string',
      referenceTo: ['EntityDefinition'],
      relationshipName: 'Field_Maps__r',
      createable: false,
      custom: true,
    });
    expect(fields.get('Target_Field__c')?.referenceTo).toEqual(['FieldDefinition']);
    expect((await fieldsOf('Mapping_Set__mdt')).get('Default_Map__c')?.referenceTo).toEqual([
      'Field_Map__mdt',
    ]);
  });

  it('answers SOQL with the API names the records hold, and filters on them', async () => {
    const maps = await connection.query<Record<string, unknown>>(
      'SELECT DeveloperName, Target_Object__c, Target_Field__c, Column__c FROM Field_Map__mdt ORDER BY DeveloperName',
    );
    expect(maps.records.map(({ attributes: _attributes, ...rest }) => rest)).toEqual([
      {
        DeveloperName: 'Account_Industry',
        Target_Object__c: 'Account',
        Target_Field__c: 'Account.Industry',
        Column__c: 'sector',
      },
      {
        DeveloperName: 'Shipment_Weight',
        Target_Object__c: 'Shipment__c',
        Target_Field__c: 'Weight_Kg__c',
        Column__c: 'kg',
      },
    ]);
    const filtered = await connection.query<{ DeveloperName: string }>(
      "SELECT DeveloperName FROM Field_Map__mdt WHERE Target_Object__c = 'Shipment__c'",
    );
    expect(filtered.records.map((record) => record.DeveloperName)).toEqual(['Shipment_Weight']);
    const sets = await connection.query<{ Default_Map__c: string }>(
      'SELECT Default_Map__c FROM Mapping_Set__mdt',
    );
    expect(sets.records.map((record) => record.Default_Map__c)).toEqual(['Account_Industry']);
  });

  it('fails a record whose relationship names an object or field that does not exist, and keeps neither', async () => {
    const result = await deploy(
      project({
        'customMetadata/Field_Map.Ghost_Object.md-meta.xml': fieldMapRecord('Ghost Object', {
          Target_Object__c: 'No_Such_Object__c',
        }),
        'customMetadata/Field_Map.Ghost_Field.md-meta.xml': fieldMapRecord('Ghost Field', {
          Target_Object__c: 'Account',
          Target_Field__c: 'Account.No_Such_Field__c',
        }),
      }),
    );
    expect(result.response.status).toBe(RequestStatus.Failed);
    const failures = result
      .getFileResponses()
      .filter((row) => row.state === 'Failed')
      .map((row) => ({ fullName: row.fullName, error: (row as { error?: string }).error }))
      .sort((a, b) => a.fullName.localeCompare(b.fullName));
    expect(failures).toEqual([
      {
        fullName: 'Field_Map.Ghost_Field',
        error: 'Target Field: bad value for restricted picklist field: Account.No_Such_Field__c',
      },
      {
        fullName: 'Field_Map.Ghost_Object',
        error: 'Target Object: bad value for restricted picklist field: No_Such_Object__c',
      },
    ]);
    const kept = await connection.query("SELECT Id FROM Field_Map__mdt WHERE DeveloperName LIKE 'Ghost%'");
    expect(kept.totalSize).toBe(0);
  });

  it('fails a relationship field that points at no type, and one to a field without a controlling field', async () => {
    const field = (name: string, body: string) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">\n    <fullName>${name}</fullName>\n    <label>${name.replace(/__c$/, '')}</label>\n${body}    <type>MetadataRelationship</type>\n</CustomField>\n`;
    const result = await deploy(
      project({
        'objects/Field_Map__mdt/fields/Nowhere__c.field-meta.xml': field(
          'Nowhere__c',
          '    <referenceTo>Nowhere__mdt</referenceTo>\n',
        ),
        'objects/Field_Map__mdt/fields/Loose_Field__c.field-meta.xml': field(
          'Loose_Field__c',
          '    <referenceTo>FieldDefinition</referenceTo>\n',
        ),
        'objects/Field_Map__mdt/fields/Spot__c.field-meta.xml': field(
          'Spot__c',
          '    <scale>4</scale>\n',
        ).replace('MetadataRelationship', 'Location'),
      }),
    );
    expect(result.response.success).toBe(false);
    const errors = result
      .getFileResponses()
      .filter((row) => row.state === 'Failed')
      .map((row) => (row as { error?: string }).error)
      .sort();
    expect(errors).toEqual([
      'Metadata relationships to Field Definition require a controlling field.',
      'Type Location of CustomMetadataField Field_Map__mdt.Spot__c is not supported for the Entity Field_Map__mdt',
      "referenceTo value of 'Nowhere__mdt' does not resolve to a valid sObject type",
    ]);
    const fields = await fieldsOf('Field_Map__mdt');
    expect(fields.has('Nowhere__c')).toBe(false);
    expect(fields.has('Loose_Field__c')).toBe(false);
    expect(fields.has('Spot__c')).toBe(false);
  });
});

describe('platform events', () => {
  it('describes the event: createable only, with the standard event fields and the declared ones', async () => {
    const describe = await connection.describe('Order_Event__e');
    expect(describe).toMatchObject({
      name: 'Order_Event__e',
      label: 'Order Event',
      labelPlural: 'Order Events',
      custom: true,
      createable: true,
      queryable: false,
      updateable: false,
      deletable: false,
    });
    expect(describe.keyPrefix).toBe('e00');
    const fields = await fieldsOf('Order_Event__e');
    expect([...fields.keys()]).toEqual([
      'ReplayId',
      'CreatedDate',
      'CreatedById',
      'EventUuid',
      'Order_Number__c',
      'Shipped__c',
    ]);
    for (const name of ['ReplayId', 'CreatedDate', 'CreatedById', 'EventUuid']) {
      expect(fields.get(name), name).toMatchObject({ custom: false, createable: false, updateable: false });
    }
    expect(fields.get('Order_Number__c')).toMatchObject({
      type: 'string',
      length: 20,
      createable: true,
      nillable: false,
    });
    const global = await connection.describeGlobal();
    expect(global.sobjects.find((entry) => entry.name === 'Order_Event__e')).toMatchObject({
      createable: true,
      queryable: false,
    });
  });

  it('publishes an event through sObject create: an e00 id, success, and the event kept (not a record)', async () => {
    const result = await connection.sobject('Order_Event__e').create({ Order_Number__c: 'ORD-1001' });
    expect(result.success).toBe(true);
    const id = (result as { id: string }).id;
    expect(id).toMatch(/^e00[0-9A-Za-z]{15}$/);
    const errors = (result as { errors: Array<{ statusCode: string; message: string }> }).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]?.statusCode).toBe('OPERATION_ENQUEUED');
    const kept = org.state.extensions.get('platformEvents') as {
      events: Array<{ sobject: string; id: string; fields: Record<string, unknown> }>;
    };
    const event = kept.events.find((entry) => entry.id === id);
    expect(event?.sobject).toBe('Order_Event__e');
    expect(event?.fields).toMatchObject({
      Order_Number__c: 'ORD-1001',
      Shipped__c: false,
      EventUuid: errors[0]?.message,
      CreatedById: org.userId,
    });
    expect(event?.fields.ReplayId).toMatch(/^\d+$/);
    const read = await failure<{ errorCode?: string }>(() =>
      connection.sobject('Order_Event__e').retrieve(id),
    );
    expect(read.errorCode).toBe('NOT_FOUND');
  });

  it('checks the values of an event as of a record: required, unknown and read-only fields', async () => {
    const missing = await failure<{ errorCode?: string; message: string }>(() =>
      connection.sobject('Order_Event__e').create({ Shipped__c: true }),
    );
    expect(missing.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(missing.message).toContain('Order_Number__c');
    const unknown = await failure<{ errorCode?: string }>(() =>
      connection.sobject('Order_Event__e').create({ Order_Number__c: 'ORD-2', Nope__c: 1 }),
    );
    expect(unknown.errorCode).toBe('INVALID_FIELD');
    const readOnly = await failure<{ errorCode?: string }>(() =>
      connection.sobject('Order_Event__e').create({ Order_Number__c: 'ORD-3', ReplayId: '7' }),
    );
    expect(readOnly.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const tooLong = await failure<{ errorCode?: string }>(() =>
      connection.sobject('Order_Event__e').create({ Order_Number__c: 'X'.repeat(21) }),
    );
    expect(tooLong.errorCode).toBe('STRING_TOO_LONG');
  });

  it('publishes nothing from a collection that rolls back (published after commit)', async () => {
    const before = (org.state.extensions.get('platformEvents') as { events: unknown[] }).events.length;
    const results = await connection.requestPost<
      Array<{ success: boolean; errors: Array<{ statusCode: string }> }>
    >('/services/data/v62.0/composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Order_Event__e' }, Order_Number__c: 'ORD-ROLLED-BACK' },
        { attributes: { type: 'Order_Event__e' }, Shipped__c: true },
      ],
    });
    expect(results.map((result) => result.success)).toEqual([false, false]);
    expect(results[1]?.errors[0]?.statusCode).toBe('REQUIRED_FIELD_MISSING');
    const after = org.state.extensions.get('platformEvents') as {
      events: Array<{ fields: Record<string, unknown> }>;
    };
    expect(after.events).toHaveLength(before);
    expect(after.events.some((event) => event.fields.Order_Number__c === 'ORD-ROLLED-BACK')).toBe(false);
  });

  it('refuses a SOQL query on the event as Salesforce does', async () => {
    const error = await failure<{ errorCode?: string; message: string }>(async () => {
      await connection.query('SELECT Id, Order_Number__c FROM Order_Event__e');
    });
    expect(error.errorCode).toBe('INVALID_TYPE');
    expect(error.message).toContain("sObject type 'Order_Event__e' is not supported");
  });
});

describe('auto numbers', () => {
  it('describes an auto-number Name and field as read-only', async () => {
    const fields = await fieldsOf('Shipment__c');
    for (const name of ['Name', 'Tracking_Code__c']) {
      expect(fields.get(name), name).toMatchObject({
        type: 'string',
        autoNumber: true,
        createable: false,
        updateable: false,
      });
    }
  });

  it('numbers records with the display formats, the field from its starting number', async () => {
    const first = await connection.sobject('Shipment__c').create({ Weight_Kg__c: 2.5 });
    const second = await connection.sobject('Shipment__c').create({ Weight_Kg__c: 4 });
    const rows = await connection.query<{ Id: string; Name: string; Tracking_Code__c: string }>(
      'SELECT Id, Name, Tracking_Code__c FROM Shipment__c ORDER BY Name',
    );
    expect(rows.records.map((row) => [row.Id, row.Name, row.Tracking_Code__c])).toEqual([
      [(first as { id: string }).id, 'SH-0001', 'TRK-00500'],
      [(second as { id: string }).id, 'SH-0002', 'TRK-00501'],
    ]);
  });

  it('refuses a Name given for an auto-number Name', async () => {
    const error = await failure<{ errorCode?: string }>(() =>
      connection.sobject('Shipment__c').create({ Name: 'SH-9999' }),
    );
    expect(error.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
  });
});

describe('geolocation fields', () => {
  it('describes the compound field and its latitude and longitude components', async () => {
    const fields = await fieldsOf('Shipment__c');
    expect(fields.get('Destination__c')).toMatchObject({
      type: 'location',
      label: 'Destination',
      createable: false,
      updateable: false,
      compoundFieldName: null,
      displayLocationInDecimal: true,
      scale: 5,
    });
    for (const part of ['Latitude', 'Longitude']) {
      expect(fields.get(`Destination__${part}__s`), part).toMatchObject({
        type: 'double',
        label: `Destination (${part})`,
        compoundFieldName: 'Destination__c',
        createable: true,
        updateable: true,
        scale: 5,
        custom: true,
      });
    }
  });

  it('is written through its components and read by component and by the compound name', async () => {
    const created = await connection.sobject('Shipment__c').create({
      Destination__Latitude__s: 48.858372,
      Destination__Longitude__s: 2.294481,
    });
    const id = (created as { id: string }).id;
    const read = await connection.query<Record<string, unknown>>(
      `SELECT Destination__c, Destination__Latitude__s, Destination__Longitude__s FROM Shipment__c WHERE Id = '${id}'`,
    );
    expect(read.records[0]).toMatchObject({
      Destination__c: { latitude: 48.85837, longitude: 2.29448 },
      Destination__Latitude__s: 48.85837,
      Destination__Longitude__s: 2.29448,
    });
    await connection.sobject('Shipment__c').update({ Id: id, Destination__Longitude__s: -73.98566 });
    const moved = await connection.query<{ Destination__c: unknown }>(
      `SELECT Destination__c FROM Shipment__c WHERE Id = '${id}'`,
    );
    expect(moved.records[0]?.Destination__c).toEqual({ latitude: 48.85837, longitude: -73.98566 });
    const empty = await connection.sobject('Shipment__c').create({});
    const none = await connection.query<{ Destination__c: unknown }>(
      `SELECT Destination__c FROM Shipment__c WHERE Id = '${(empty as { id: string }).id}'`,
    );
    expect(none.records[0]?.Destination__c).toBeNull();
  });

  it('refuses coordinates out of range and a value for the compound itself', async () => {
    const latitude = await failure<{ errorCode?: string; message: string }>(() =>
      connection
        .sobject('Shipment__c')
        .create({ Destination__Latitude__s: 200, Destination__Longitude__s: 0 }),
    );
    expect(latitude.errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
    expect(latitude.message).toContain('Latitude values must be within -90 and 90');
    const longitude = await failure<{ errorCode?: string }>(() =>
      connection
        .sobject('Shipment__c')
        .create({ Destination__Latitude__s: 0, Destination__Longitude__s: -181 }),
    );
    expect(longitude.errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
    const compound = await failure<{ errorCode?: string }>(() =>
      connection.sobject('Shipment__c').create({ Destination__c: { latitude: 1, longitude: 2 } }),
    );
    expect(compound.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
  });
});
