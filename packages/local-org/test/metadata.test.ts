// The Metadata SOAP handler called directly with RouteRequests against an OrgState (no HTTP).
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { RouteRequest } from '../src/http/types.js';
import { handleMetadataSoap } from '../src/metadata/index.js';
import { componentForPath } from '../src/metadata/metadataTypes.js';
import { parsePackageXml, splitTopLevelElements } from '../src/metadata/xml.js';
import { executeSoql } from '../src/soql/index.js';
import { createOrgState } from '../src/state/index.js';
import type { OrgState } from '../src/state/types.js';

const NS = 'http://soap.sforce.com/2006/04/metadata';

function request(inner: string): RouteRequest {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">` +
    `<soapenv:Header xmlns="${NS}"><SessionHeader><sessionId>token</sessionId></SessionHeader></soapenv:Header>` +
    `<soapenv:Body xmlns="${NS}">${inner}</soapenv:Body></soapenv:Envelope>`;
  return {
    method: 'POST',
    path: '/services/Soap/m/62.0',
    query: new URLSearchParams(),
    headers: { 'content-type': 'text/xml' },
    body: Buffer.from(body),
    apiVersion: '62.0',
  };
}

async function call(org: OrgState, inner: string): Promise<string> {
  const reply = await handleMetadataSoap(request(inner), org);
  return String(reply.body);
}

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

async function zipOf(files: Record<string, string>): Promise<string> {
  const zip = new JSZip();
  for (const [path, content] of Object.entries(files)) zip.file(path, content);
  return (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64');
}

function packageXml(types: Record<string, string[]>): string {
  const body = Object.entries(types)
    .map(
      ([name, members]) =>
        `<types>${members.map((member) => `<members>${member}</members>`).join('')}<name>${name}</name></types>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Package xmlns="${NS}">${body}<version>62.0</version></Package>`;
}

async function deploy(org: OrgState, files: Record<string, string>, options = ''): Promise<string> {
  const queued = await call(
    org,
    `<deploy><ZipFile>${await zipOf(files)}</ZipFile><DeployOptions>${options}</DeployOptions></deploy>`,
  );
  expect(tag(queued, 'state')).toBe('Queued');
  return call(
    org,
    `<checkDeployStatus><asyncProcessId>${tag(queued, 'id')}</asyncProcessId><includeDetails>true</includeDetails></checkDeployStatus>`,
  );
}

const FIELD_TYPES = `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="${NS}">
    <fields><fullName>Notes__c</fullName><label>Notes</label><length>32768</length><type>LongTextArea</type><visibleLines>5</visibleLines></fields>
    <fields><fullName>Summary__c</fullName><label>Summary</label><length>80</length><type>Text</type><required>true</required></fields>
    <fields><fullName>Quantity__c</fullName><label>Quantity</label><precision>8</precision><scale>0</scale><type>Number</type></fields>
    <fields><fullName>Discount__c</fullName><label>Discount</label><precision>5</precision><scale>2</scale><type>Percent</type></fields>
    <fields><fullName>Contact_Email__c</fullName><label>Contact Email</label><type>Email</type></fields>
    <fields><fullName>Hotline__c</fullName><label>Hotline</label><type>Phone</type></fields>
    <fields><fullName>Portal__c</fullName><label>Portal</label><type>Url</type></fields>
    <fields><fullName>Shipped_At__c</fullName><label>Shipped At</label><type>DateTime</type></fields>
    <fields><fullName>Channels__c</fullName><label>Channels</label><type>MultiselectPicklist</type><visibleLines>4</visibleLines>
        <valueSet><valueSetDefinition><sorted>false</sorted>
            <value><fullName>Email</fullName><default>false</default><label>Email</label></value>
            <value><fullName>Phone</fullName><default>false</default><label>Phone</label></value>
        </valueSetDefinition></valueSet></fields>
    <fields><fullName>Project__c</fullName><label>Project</label><referenceTo>Project__c</referenceTo><relationshipName>Tasks</relationshipName><type>MasterDetail</type></fields>
    <label>Project Task</label>
    <nameField><label>Task Name</label><type>Text</type></nameField>
    <pluralLabel>Project Tasks</pluralLabel>
    <sharingModel>ControlledByParent</sharingModel>
</CustomObject>
`;

const PROJECT = `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="${NS}">
    <label>Project</label>
    <nameField><label>Project Name</label><type>Text</type></nameField>
    <pluralLabel>Projects</pluralLabel>
    <sharingModel>ReadWrite</sharingModel>
</CustomObject>
`;

describe('metadata helpers', () => {
  it('splits a document into its top-level elements, keeping their text', () => {
    const split = splitTopLevelElements(
      '<?xml version="1.0"?>\n<!-- note --><CustomLabels xmlns="x"><labels><fullName>A</fullName><value><![CDATA[<b>]]></value></labels><empty/><labels a="1>2"><fullName>B</fullName></labels></CustomLabels>',
    );
    expect(split.rootName).toBe('CustomLabels');
    expect(split.children.map((child) => child.name)).toEqual(['labels', 'empty', 'labels']);
    expect(split.children[0]?.raw).toBe(
      '<labels><fullName>A</fullName><value><![CDATA[<b>]]></value></labels>',
    );
    expect(() => splitTopLevelElements('<a><b></a>')).toThrow();
  });

  it('maps zip paths to components', () => {
    expect(componentForPath('classes/Foo.cls-meta.xml')).toMatchObject({
      fullName: 'Foo',
      type: { xmlName: 'ApexClass' },
    });
    expect(componentForPath('lwc/card/card.js')).toMatchObject({
      fullName: 'card',
      type: { xmlName: 'LightningComponentBundle' },
    });
    expect(componentForPath('reports/Sales/Pipeline.report')).toMatchObject({
      fullName: 'Sales/Pipeline',
      isFolder: false,
    });
    expect(componentForPath('reports/Sales-meta.xml')).toMatchObject({ fullName: 'Sales', isFolder: true });
    expect(componentForPath('documents/Shared/logo.png')).toMatchObject({
      fullName: 'Shared/logo',
      type: { xmlName: 'Document' },
    });
    expect(componentForPath('documents/Shared/logo.png-meta.xml')).toMatchObject({ fullName: 'Shared/logo' });
    expect(componentForPath('layouts/Account-Account Layout.layout')).toMatchObject({
      fullName: 'Account-Account Layout',
    });
    expect(componentForPath('nowhere/x.txt')).toBeUndefined();
  });

  it('reads package.xml members, dropping a folder trailing slash', () => {
    const manifest = parsePackageXml(packageXml({ Report: ['Sales/', 'Sales/Pipeline'], ApexClass: ['*'] }));
    expect(manifest.types.get('Report')).toEqual(['Sales', 'Sales/Pipeline']);
    expect(manifest.version).toBe('62.0');
  });
});

describe('deploying objects and fields through the handler', () => {
  it('registers every supported field type in the schema, usable from SOQL', async () => {
    const org = createOrgState();
    const result = await deploy(org, {
      'package.xml': packageXml({ CustomObject: ['Project__c', 'Project_Task__c'] }),
      'objects/Project__c.object': PROJECT,
      'objects/Project_Task__c.object': FIELD_TYPES,
    });
    expect(tag(result, 'status')).toBe('Succeeded');
    const field = (name: string) => org.schema.getField('Project_Task__c', name);
    expect(field('Notes__c')).toMatchObject({ type: 'textarea', length: 32768 });
    expect(field('Summary__c')).toMatchObject({ type: 'string', length: 80, nillable: false });
    expect(field('Quantity__c')).toMatchObject({ type: 'double', precision: 8, scale: 0 });
    expect(field('Discount__c')).toMatchObject({ type: 'percent', precision: 5, scale: 2 });
    expect(field('Contact_Email__c')?.type).toBe('email');
    expect(field('Hotline__c')?.type).toBe('phone');
    expect(field('Portal__c')?.type).toBe('url');
    expect(field('Shipped_At__c')?.type).toBe('datetime');
    expect(field('Channels__c')).toMatchObject({ type: 'multipicklist' });
    expect(field('Channels__c')?.picklistValues?.map((value) => value.value)).toEqual(['Email', 'Phone']);
    expect(field('Project__c')).toMatchObject({
      type: 'reference',
      referenceTo: ['Project__c'],
      cascadeDelete: true,
    });
    expect(org.schema.childRelationships('Project__c')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ childSObject: 'Project_Task__c', relationshipName: 'Tasks__r' }),
      ]),
    );

    const project = org.records.insert('Project__c', { Name: 'Launch' });
    org.records.insert('Project_Task__c', {
      Name: 'Plan',
      Summary__c: 'Plan it',
      Project__c: project.Id,
      Channels__c: 'Email;Phone',
      Discount__c: 12.5,
    });
    const rows = executeSoql(
      "SELECT Name, (SELECT Summary__c, Project__r.Name FROM Tasks__r) FROM Project__c WHERE Name = 'Launch'",
      org,
      {
        api: 'data',
        apiVersion: 'v62.0',
      },
    );
    expect(rows.records[0]).toMatchObject({ Name: 'Launch', Tasks__r: { totalSize: 1 } });
    expect(JSON.parse(JSON.stringify([...org.extensions]))).toEqual(
      JSON.parse(JSON.stringify([...org.extensions])),
    );
  });

  it('adds custom fields to a standard object and keeps earlier fields on a later deploy', async () => {
    const org = createOrgState();
    const first = `<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="${NS}"><fields><fullName>Region__c</fullName><label>Region</label><length>40</length><type>Text</type></fields></CustomObject>`;
    const second = `<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="${NS}"><fields><fullName>Tier__c</fullName><label>Tier</label><type>Picklist</type><valueSet><valueSetDefinition><sorted>false</sorted><value><fullName>Gold</fullName><default>false</default><label>Gold</label></value></valueSetDefinition></valueSet></fields></CustomObject>`;
    expect(
      tag(
        await deploy(org, {
          'package.xml': packageXml({ CustomField: ['Account.Region__c'] }),
          'objects/Account.object': first,
        }),
        'status',
      ),
    ).toBe('Succeeded');
    const result = await deploy(org, {
      'package.xml': packageXml({ CustomField: ['Account.Tier__c'] }),
      'objects/Account.object': second,
    });
    expect(tag(result, 'status')).toBe('Succeeded');
    expect(result).toContain('<componentType>CustomField</componentType><created>true</created>');
    expect(org.schema.getField('Account', 'Region__c')?.type).toBe('string');
    expect(org.schema.getField('Account', 'Tier__c')?.type).toBe('picklist');
    expect(org.schema.getField('Account', 'Name')?.custom).toBe(false);

    const retrieved = await call(
      org,
      `<retrieve><request><apiVersion>62.0</apiVersion><singlePackage>true</singlePackage><unpackaged><types><members>Account.Region__c</members><name>CustomField</name></types></unpackaged></request></retrieve>`,
    );
    const status = await call(
      org,
      `<checkRetrieveStatus><asyncProcessId>${tag(retrieved, 'id')}</asyncProcessId></checkRetrieveStatus>`,
    );
    const zip = await JSZip.loadAsync(Buffer.from(tag(status, 'zipFile') ?? '', 'base64'));
    const accountXml = await zip.file('objects/Account.object')?.async('string');
    expect(accountXml).toContain('<fullName>Region__c</fullName>');
    expect(accountXml).not.toContain('Tier__c');
  });

  it('fails a lookup to an unknown object, with nothing registered', async () => {
    const org = createOrgState();
    const broken = `<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="${NS}"><fields><fullName>Ghost__c</fullName><label>Ghost</label><referenceTo>Ghost__c</referenceTo><relationshipName>Ghosts</relationshipName><type>Lookup</type></fields><label>Haunt</label><nameField><label>Name</label><type>Text</type></nameField><pluralLabel>Haunts</pluralLabel><sharingModel>ReadWrite</sharingModel></CustomObject>`;
    const result = await deploy(org, {
      'package.xml': packageXml({ CustomObject: ['Haunt__c'] }),
      'objects/Haunt__c.object': broken,
    });
    expect(tag(result, 'status')).toBe('Failed');
    expect(result).toContain(
      "<problem>referenceTo value of 'Ghost__c' does not resolve to a valid sObject type</problem>",
    );
    expect(result).toContain('<fullName>Haunt__c.Ghost__c</fullName>');
    expect(org.schema.getObject('Haunt__c')).toBeUndefined();
  });

  it('names a component the manifest lists but the zip lacks, and deploys the rest with rollbackOnError off', async () => {
    const org = createOrgState();
    const result = await deploy(
      org,
      {
        'package.xml': packageXml({ ApexClass: ['Present', 'Missing'] }),
        'classes/Present.cls': 'public class Present {}',
        'classes/Present.cls-meta.xml': `<?xml version="1.0" encoding="UTF-8"?><ApexClass xmlns="${NS}"><apiVersion>61.0</apiVersion><status>Active</status></ApexClass>`,
      },
      '<rollbackOnError>false</rollbackOnError>',
    );
    expect(tag(result, 'status')).toBe('SucceededPartial');
    expect(result).toContain(
      "An object 'Missing' of type ApexClass was named in package.xml, but was not found in zipped directory",
    );
    const classes = executeSoql('SELECT Name, ApiVersion FROM ApexClass', org, {
      api: 'tooling',
      apiVersion: 'v62.0',
    });
    expect(classes.records).toEqual([expect.objectContaining({ Name: 'Present', ApiVersion: 61 })]);
  });

  it('checks triggers with the trigger grammar and records their object and events', async () => {
    const org = createOrgState();
    const meta = `<?xml version="1.0" encoding="UTF-8"?><ApexTrigger xmlns="${NS}"><apiVersion>62.0</apiVersion><status>Active</status></ApexTrigger>`;
    const broken = await deploy(org, {
      'package.xml': packageXml({ ApexTrigger: ['ContactTrigger'] }),
      'triggers/ContactTrigger.trigger': 'trigger ContactTrigger on Contact (before insert {\n}\n',
      'triggers/ContactTrigger.trigger-meta.xml': meta,
    });
    expect(tag(broken, 'status')).toBe('Failed');
    expect(broken).toContain('<componentType>ApexTrigger</componentType>');
    expect(tag(broken, 'lineNumber')).toBe('1');
    const fine = await deploy(org, {
      'package.xml': packageXml({ ApexTrigger: ['ContactTrigger'] }),
      'triggers/ContactTrigger.trigger':
        'trigger ContactTrigger on Contact (after insert, after undelete) {\n}\n',
      'triggers/ContactTrigger.trigger-meta.xml': meta,
    });
    expect(tag(fine, 'status')).toBe('Succeeded');
    const rows = executeSoql(
      'SELECT Name, TableEnumOrId, UsageAfterInsert, UsageAfterUndelete, UsageBeforeInsert FROM ApexTrigger',
      org,
      { api: 'tooling', apiVersion: 'v62.0' },
    ).records;
    expect(rows).toEqual([
      expect.objectContaining({
        Name: 'ContactTrigger',
        TableEnumOrId: 'Contact',
        UsageAfterInsert: true,
        UsageAfterUndelete: true,
        UsageBeforeInsert: false,
      }),
    ]);
  });

  it('applies destructiveChangesPre before and destructiveChangesPost after the additions', async () => {
    const org = createOrgState();
    const meta = `<?xml version="1.0" encoding="UTF-8"?><ApexClass xmlns="${NS}"><apiVersion>62.0</apiVersion><status>Active</status></ApexClass>`;
    await deploy(org, {
      'package.xml': packageXml({ ApexClass: ['Keep', 'Old'] }),
      'classes/Keep.cls': 'public class Keep {}',
      'classes/Keep.cls-meta.xml': meta,
      'classes/Old.cls': 'public class Old {}',
      'classes/Old.cls-meta.xml': meta,
    });
    const result = await deploy(org, {
      'package.xml': packageXml({ ApexClass: ['Keep'] }),
      'classes/Keep.cls': 'public class Keep { Integer version = 2; }',
      'classes/Keep.cls-meta.xml': meta,
      'destructiveChangesPre.xml': packageXml({ ApexClass: ['Keep'] }),
      'destructiveChangesPost.xml': packageXml({ ApexClass: ['Old'] }),
    });
    expect(tag(result, 'status')).toBe('Succeeded');
    const rows = executeSoql('SELECT Name, Body FROM ApexClass', org, {
      api: 'tooling',
      apiVersion: 'v62.0',
    }).records;
    expect(rows).toEqual([
      expect.objectContaining({ Name: 'Keep', Body: 'public class Keep { Integer version = 2; }' }),
    ]);
  });

  it('cancels a deploy that has not started', async () => {
    const org = createOrgState();
    const zip = await zipOf({
      'package.xml': packageXml({ ApexClass: ['Later'] }),
      'classes/Later.cls': 'public class Later {}',
    });
    const queued = await call(org, `<deploy><ZipFile>${zip}</ZipFile><DeployOptions/></deploy>`);
    const id = tag(queued, 'id') ?? '';
    expect(await call(org, `<cancelDeploy><id>${id}</id></cancelDeploy>`)).toContain('<done>true</done>');
    const status = await call(
      org,
      `<checkDeployStatus><asyncProcessId>${id}</asyncProcessId><includeDetails>true</includeDetails></checkDeployStatus>`,
    );
    expect(tag(status, 'status')).toBe('Canceled');
    expect(
      executeSoql('SELECT Id FROM ApexClass', org, { api: 'tooling', apiVersion: 'v62.0' }).totalSize,
    ).toBe(0);
  });

  it('retrieves a seeded custom object from the schema and says what it cannot find', async () => {
    const org = createOrgState({
      customObjects: [
        {
          name: 'Asset_Tag__c',
          label: 'Asset Tag',
          labelPlural: 'Asset Tags',
          fields: [{ name: 'Code__c', type: 'string', length: 20, label: 'Code' }],
        },
      ],
    });
    const retrieved = await call(
      org,
      `<retrieve><request><apiVersion>62.0</apiVersion><unpackaged><types><members>Asset_Tag__c</members><members>Nope__c</members><name>CustomObject</name></types></unpackaged></request></retrieve>`,
    );
    const status = await call(
      org,
      `<checkRetrieveStatus><asyncProcessId>${tag(retrieved, 'id')}</asyncProcessId></checkRetrieveStatus>`,
    );
    expect(status).toContain("Entity of type 'CustomObject' named 'Nope__c' cannot be found");
    const zip = await JSZip.loadAsync(Buffer.from(tag(status, 'zipFile') ?? '', 'base64'));
    expect(
      Object.keys(zip.files)
        .filter((name) => !name.endsWith('/'))
        .sort(),
    ).toEqual(['unpackaged/objects/Asset_Tag__c.object', 'unpackaged/package.xml']);
    const objectXml = (await zip.file('unpackaged/objects/Asset_Tag__c.object')?.async('string')) ?? '';
    expect(objectXml).toContain('<label>Asset Tag</label>');
    expect(objectXml).toContain('<fullName>Code__c</fullName>');
    expect(objectXml).toContain('<type>Text</type>');
  });

  it('retrieves with wildcards, and a standard object with its custom fields', async () => {
    const org = createOrgState({
      customObjects: [
        { name: 'Account', fields: [{ name: 'Region__c', type: 'string', length: 40, label: 'Region' }] },
      ],
    });
    const meta = `<?xml version="1.0" encoding="UTF-8"?><ApexClass xmlns="${NS}"><apiVersion>62.0</apiVersion><status>Active</status></ApexClass>`;
    await deploy(org, {
      'package.xml': packageXml({ ApexClass: ['*'] }),
      'classes/One.cls': 'public class One {}',
      'classes/One.cls-meta.xml': meta,
      'classes/Two.cls': 'public class Two {}',
      'classes/Two.cls-meta.xml': meta,
    });
    const retrieved = await call(
      org,
      `<retrieve><request><apiVersion>62.0</apiVersion><singlePackage>true</singlePackage><unpackaged><types><members>*</members><name>ApexClass</name></types><types><members>Account</members><name>CustomObject</name></types></unpackaged></request></retrieve>`,
    );
    const status = await call(
      org,
      `<checkRetrieveStatus><asyncProcessId>${tag(retrieved, 'id')}</asyncProcessId></checkRetrieveStatus>`,
    );
    expect(status).not.toContain('<messages>');
    const zip = await JSZip.loadAsync(Buffer.from(tag(status, 'zipFile') ?? '', 'base64'));
    expect(
      Object.keys(zip.files)
        .filter((name) => !name.endsWith('/'))
        .sort(),
    ).toEqual([
      'classes/One.cls',
      'classes/One.cls-meta.xml',
      'classes/Two.cls',
      'classes/Two.cls-meta.xml',
      'objects/Account.object',
      'package.xml',
    ]);
    expect(await zip.file('classes/Two.cls')?.async('string')).toBe('public class Two {}');
    const account = (await zip.file('objects/Account.object')?.async('string')) ?? '';
    expect(account).toContain('<fullName>Region__c</fullName>');
    expect(account).not.toContain('<label>Account</label>');
  });

  it('makes custom metadata types queryable, with their records, and deletes records destructively', async () => {
    const org = createOrgState();
    const type = `<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="${NS}"><fields><fullName>Limit__c</fullName><label>Limit</label><precision>6</precision><scale>0</scale><type>Number</type></fields><fields><fullName>Active__c</fullName><defaultValue>false</defaultValue><label>Active</label><type>Checkbox</type></fields><label>Quota</label><pluralLabel>Quotas</pluralLabel><visibility>Public</visibility></CustomObject>`;
    const record = (label: string, limit: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><CustomMetadata xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><label>${label}</label><protected>false</protected><values><field>Limit__c</field><value xsi:type="xsd:double">${limit}</value></values><values><field>Active__c</field><value xsi:type="xsd:boolean">true</value></values></CustomMetadata>`;
    const result = await deploy(org, {
      'package.xml': packageXml({
        CustomObject: ['Quota__mdt'],
        CustomMetadata: ['Quota.Gold', 'Quota.Silver'],
      }),
      'objects/Quota__mdt.object': type,
      'customMetadata/Quota.Gold.md': record('Gold', '100'),
      'customMetadata/Quota.Silver.md': record('Silver', '50'),
    });
    expect(tag(result, 'status')).toBe('Succeeded');
    const query = () =>
      executeSoql('SELECT DeveloperName, Limit__c, Active__c FROM Quota__mdt ORDER BY Limit__c', org, {
        api: 'data',
        apiVersion: 'v62.0',
      }).records;
    expect(query()).toEqual([
      expect.objectContaining({ DeveloperName: 'Silver', Limit__c: 50, Active__c: true }),
      expect.objectContaining({ DeveloperName: 'Gold', Limit__c: 100 }),
    ]);
    expect(() => org.records.insert('Quota__mdt', { DeveloperName: 'Hacked' })).toThrow();

    const unknownField = await deploy(org, {
      'package.xml': packageXml({ CustomMetadata: ['Quota.Bronze'] }),
      'customMetadata/Quota.Bronze.md': record('Bronze', '10').replace(
        '<field>Limit__c</field>',
        '<field>Nope__c</field>',
      ),
    });
    expect(tag(unknownField, 'status')).toBe('Failed');
    expect(unknownField).toContain('Invalid field: Nope__c is not a field of Quota__mdt');

    const removal = await deploy(org, {
      'package.xml': packageXml({}),
      'destructiveChanges.xml': packageXml({ CustomMetadata: ['Quota.Gold'] }),
    });
    expect(tag(removal, 'status')).toBe('Succeeded');
    expect(query().map((row) => row.DeveloperName)).toEqual(['Silver']);
    expect(org.schema.getObject('Quota__mdt')?.deletable).toBe(false);
  });

  it('rejects packageNames and operations it does not support, with faults', async () => {
    const org = createOrgState();
    const packaged = await call(
      org,
      '<retrieve><request><apiVersion>62.0</apiVersion><packageNames>Thing</packageNames></request></retrieve>',
    );
    expect(packaged).toContain('<faultcode>sf:FUNCTIONALITY_NOT_ENABLED</faultcode>');
    const create = await call(org, '<createMetadata><metadata/></createMetadata>');
    expect(create).toContain('<faultcode>sf:FUNCTIONALITY_NOT_ENABLED</faultcode>');
  });
});
