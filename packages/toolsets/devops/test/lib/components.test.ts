import { isToolError } from '@sfmcp/plugin-api';
import { describe, expect, it } from 'vitest';
import { componentsForPaths, findComponent, readPackageDirectories } from '../../src/lib/components.js';

/** A project with its default package in force-app and a second, non-default one in a different layout. */
const FILES = [
  'sfdx-project.json',
  'README.md',
  '.forceignore',
  'scripts/apex/hello.apex',
  'force-app/main/default/classes/AccountService.cls',
  'force-app/main/default/classes/AccountService.cls-meta.xml',
  'force-app/main/default/classes/AccountServiceTest.cls',
  'force-app/main/default/classes/AccountServiceTest.cls-meta.xml',
  'force-app/main/default/triggers/AccountTrigger.trigger',
  'force-app/main/default/triggers/AccountTrigger.trigger-meta.xml',
  'force-app/main/default/lwc/accountCard/accountCard.js',
  'force-app/main/default/lwc/accountCard/accountCard.html',
  'force-app/main/default/lwc/accountCard/accountCard.css',
  'force-app/main/default/lwc/accountCard/accountCard.js-meta.xml',
  'force-app/main/default/lwc/accountCard/__tests__/accountCard.test.js',
  'force-app/main/default/lwc/accountCardList/accountCardList.js',
  'force-app/main/default/lwc/accountCardList/accountCardList.html',
  'force-app/main/default/lwc/accountCardList/accountCardList.js-meta.xml',
  'force-app/main/default/aura/accountTile/accountTile.cmp',
  'force-app/main/default/aura/accountTile/accountTile.cmp-meta.xml',
  'force-app/main/default/aura/accountTile/accountTileController.js',
  'force-app/main/default/aura/accountTile/accountTileHelper.js',
  'force-app/main/default/objects/Account/Account.object-meta.xml',
  'force-app/main/default/objects/Account/fields/Region__c.field-meta.xml',
  'force-app/main/default/objects/Account/fields/Tier__c.field-meta.xml',
  'force-app/main/default/objects/Account/listViews/All_Accounts.listView-meta.xml',
  'force-app/main/default/objects/Invoice__c/Invoice__c.object-meta.xml',
  'force-app/main/default/objects/Invoice__c/fields/Amount__c.field-meta.xml',
  'force-app/main/default/flows/Account_Onboarding.flow-meta.xml',
  'force-app/main/default/permissionsets/Sales_Ops.permissionset-meta.xml',
  'force-app/main/default/labels/CustomLabels.labels-meta.xml',
  'force-app/main/default/staticresources/logo.png',
  'force-app/main/default/staticresources/logo.resource-meta.xml',
  'force-app/main/default/staticresources/chartjs/chart.min.js',
  'force-app/main/default/staticresources/chartjs/LICENSE',
  'force-app/main/default/staticresources/chartjs.resource-meta.xml',
  'force-app/main/default/layouts/Account-Account Layout.layout-meta.xml',
  // A second package without the main/default level, as many projects have.
  'packages/billing/classes/InvoiceService.cls',
  'packages/billing/classes/InvoiceService.cls-meta.xml',
  'packages/billing/objects/Invoice__c/fields/Paid__c.field-meta.xml',
  'packages/billing/README.md',
  // Same layout, but outside every package directory: not deployed, so no component.
  'unpackaged/classes/Orphan.cls',
  'unpackaged/classes/Orphan.cls-meta.xml',
];
const DIRECTORIES = ['force-app', 'packages/billing'];

describe('componentsForPaths', () => {
  it('names the component of files that exist only in a listing', async () => {
    const paths = [
      'force-app/main/default/classes/AccountService.cls',
      'force-app/main/default/classes/AccountService.cls-meta.xml',
      'force-app/main/default/triggers/AccountTrigger.trigger',
      'force-app/main/default/lwc/accountCard/accountCard.js',
      'force-app/main/default/lwc/accountCard/accountCard.css',
      'force-app/main/default/aura/accountTile/accountTileHelper.js',
      'force-app/main/default/objects/Account/fields/Region__c.field-meta.xml',
      'force-app/main/default/objects/Account/Account.object-meta.xml',
      'force-app/main/default/objects/Account/listViews/All_Accounts.listView-meta.xml',
      'force-app/main/default/flows/Account_Onboarding.flow-meta.xml',
      'force-app/main/default/permissionsets/Sales_Ops.permissionset-meta.xml',
      'force-app/main/default/labels/CustomLabels.labels-meta.xml',
      'force-app/main/default/staticresources/chartjs/chart.min.js',
      'force-app/main/default/staticresources/logo.png',
      'force-app/main/default/layouts/Account-Account Layout.layout-meta.xml',
      'packages/billing/classes/InvoiceService.cls',
      'packages/billing/objects/Invoice__c/fields/Paid__c.field-meta.xml',
    ];
    const result = await componentsForPaths(paths, DIRECTORIES, { files: FILES });
    expect(result.map(({ type, fullName }) => `${type} ${fullName}`)).toEqual([
      'ApexClass AccountService',
      'ApexClass AccountService',
      'ApexTrigger AccountTrigger',
      'LightningComponentBundle accountCard',
      'LightningComponentBundle accountCard',
      'AuraDefinitionBundle accountTile',
      'CustomField Account.Region__c',
      'CustomObject Account',
      'ListView Account.All_Accounts',
      'Flow Account_Onboarding',
      'PermissionSet Sales_Ops',
      'CustomLabels CustomLabels',
      'StaticResource chartjs',
      'StaticResource logo',
      'Layout Account-Account Layout',
      'ApexClass InvoiceService',
      'CustomField Invoice__c.Paid__c',
    ]);
    expect(result[0]).toEqual({
      path: 'force-app/main/default/classes/AccountService.cls',
      type: 'ApexClass',
      fullName: 'AccountService',
      packageDirectory: 'force-app',
    });
    expect(result.at(-1)?.packageDirectory).toBe('packages/billing');
  });

  it('resolves a lone changed file without the rest of the listing', async () => {
    expect(
      await componentsForPaths(['force-app/main/default/lwc/accountCard/accountCard.js'], ['force-app']),
    ).toEqual([
      {
        path: 'force-app/main/default/lwc/accountCard/accountCard.js',
        type: 'LightningComponentBundle',
        fullName: 'accountCard',
        packageDirectory: 'force-app',
      },
    ]);
  });

  it('gives no type to files that are not metadata or not in a package directory', async () => {
    const paths = [
      'README.md',
      'sfdx-project.json',
      'scripts/apex/hello.apex',
      'unpackaged/classes/Orphan.cls',
      'packages/billing/README.md',
      'force-app/main/default/classes/notes.txt',
    ];
    const result = await componentsForPaths(paths, DIRECTORIES, {
      files: [...FILES, 'force-app/main/default/classes/notes.txt'],
    });
    expect(result).toEqual([
      { path: 'README.md' },
      { path: 'sfdx-project.json' },
      { path: 'scripts/apex/hello.apex' },
      { path: 'unpackaged/classes/Orphan.cls' },
      { path: 'packages/billing/README.md', packageDirectory: 'packages/billing' },
      { path: 'force-app/main/default/classes/notes.txt', packageDirectory: 'force-app' },
    ]);
  });

  it('refuses hostile paths and package directories', async () => {
    await expect(componentsForPaths(['../etc/passwd'], DIRECTORIES)).rejects.toThrow('leaves the repository');
    await expect(componentsForPaths(['force-app/a.cls'], ['/abs'])).rejects.toThrow('absolute');
  });
});

describe('findComponent', () => {
  const find = (type: string, fullName: string) => findComponent(type, fullName, FILES, DIRECTORIES);

  it('finds the files of each kind of component', async () => {
    expect(await find('ApexClass', 'AccountService')).toEqual([
      'force-app/main/default/classes/AccountService.cls-meta.xml',
      'force-app/main/default/classes/AccountService.cls',
    ]);
    expect(await find('ApexTrigger', 'AccountTrigger')).toEqual([
      'force-app/main/default/triggers/AccountTrigger.trigger-meta.xml',
      'force-app/main/default/triggers/AccountTrigger.trigger',
    ]);
    expect((await find('LightningComponentBundle', 'accountCard')).sort()).toEqual(
      FILES.filter((file) => file.startsWith('force-app/main/default/lwc/accountCard/')).sort(),
    );
    expect((await find('AuraDefinitionBundle', 'accountTile')).sort()).toEqual(
      FILES.filter((file) => file.startsWith('force-app/main/default/aura/accountTile/')).sort(),
    );
    expect(await find('CustomField', 'Account.Region__c')).toEqual([
      'force-app/main/default/objects/Account/fields/Region__c.field-meta.xml',
    ]);
    expect(await find('Flow', 'Account_Onboarding')).toEqual([
      'force-app/main/default/flows/Account_Onboarding.flow-meta.xml',
    ]);
    expect(await find('PermissionSet', 'Sales_Ops')).toEqual([
      'force-app/main/default/permissionsets/Sales_Ops.permissionset-meta.xml',
    ]);
    expect(await find('CustomLabels', 'CustomLabels')).toEqual([
      'force-app/main/default/labels/CustomLabels.labels-meta.xml',
    ]);
    expect(await find('StaticResource', 'logo')).toEqual([
      'force-app/main/default/staticresources/logo.resource-meta.xml',
      'force-app/main/default/staticresources/logo.png',
    ]);
    expect((await find('StaticResource', 'chartjs')).sort()).toEqual([
      'force-app/main/default/staticresources/chartjs.resource-meta.xml',
      'force-app/main/default/staticresources/chartjs/LICENSE',
      'force-app/main/default/staticresources/chartjs/chart.min.js',
    ]);
    expect(await find('Layout', 'Account-Account Layout')).toEqual([
      'force-app/main/default/layouts/Account-Account Layout.layout-meta.xml',
    ]);
  });

  it('includes a custom object’s fields and other children', async () => {
    expect((await find('CustomObject', 'Account')).sort()).toEqual([
      'force-app/main/default/objects/Account/Account.object-meta.xml',
      'force-app/main/default/objects/Account/fields/Region__c.field-meta.xml',
      'force-app/main/default/objects/Account/fields/Tier__c.field-meta.xml',
      'force-app/main/default/objects/Account/listViews/All_Accounts.listView-meta.xml',
    ]);
  });

  it('searches every package directory, the non-default one too', async () => {
    expect(await find('ApexClass', 'InvoiceService')).toEqual([
      'packages/billing/classes/InvoiceService.cls-meta.xml',
      'packages/billing/classes/InvoiceService.cls',
    ]);
    // The object's definition lives in force-app, one of its fields in the billing package.
    expect(await find('CustomField', 'Invoice__c.Paid__c')).toEqual([
      'packages/billing/objects/Invoice__c/fields/Paid__c.field-meta.xml',
    ]);
    expect(await find('CustomField', 'Invoice__c.Amount__c')).toEqual([
      'force-app/main/default/objects/Invoice__c/fields/Amount__c.field-meta.xml',
    ]);
  });

  it('matches API names without regard to case, and type names as the registry spells them', async () => {
    expect(await find('customfield', 'account.region__C')).toEqual([
      'force-app/main/default/objects/Account/fields/Region__c.field-meta.xml',
    ]);
  });

  it('finds a field named without its object on every object that has it', async () => {
    const files = [...FILES, 'force-app/main/default/objects/Contact/fields/Region__c.field-meta.xml'];
    expect((await findComponent('CustomField', 'Region__c', files, DIRECTORIES)).sort()).toEqual([
      'force-app/main/default/objects/Account/fields/Region__c.field-meta.xml',
      'force-app/main/default/objects/Contact/fields/Region__c.field-meta.xml',
    ]);
    expect(await find('CustomField', 'Paid__c')).toEqual([
      'packages/billing/objects/Invoice__c/fields/Paid__c.field-meta.xml',
    ]);
  });

  it('finds nothing for components the listing does not have, or outside the package directories', async () => {
    expect(await find('ApexClass', 'DiscountCalculator')).toEqual([]);
    expect(await find('ApexClass', 'Orphan')).toEqual([]);
    expect(await find('CustomField', 'Account.Missing__c')).toEqual([]);
    expect(await findComponent('ApexClass', 'AccountService', FILES, ['packages/billing'])).toEqual([]);
    expect(await findComponent('ApexClass', 'AccountService', [], DIRECTORIES)).toEqual([]);
  });

  it('refuses a type the registry does not know', async () => {
    const error = await find('ApexKlass', 'X').catch((caught: unknown) => caught);
    expect(isToolError(error) && error.kind).toBe('invalid');
    expect((error as Error).message).toContain('"ApexKlass" is not a metadata type');
  });

  it('finds a custom label inside the labels file when it can read it', async () => {
    const labels = `<?xml version="1.0" encoding="UTF-8"?>
<CustomLabels xmlns="http://soap.sforce.com/2006/04/metadata">
    <labels>
        <fullName>Region_Required</fullName>
        <language>en_US</language>
        <protected>false</protected>
        <shortDescription>Region required</shortDescription>
        <value>Choose a region.</value>
    </labels>
</CustomLabels>
`;
    const files = [...FILES, 'packages/billing/labels/Billing.labels-meta.xml'];
    const read = async (path: string) =>
      path === 'force-app/main/default/labels/CustomLabels.labels-meta.xml'
        ? Buffer.from(labels)
        : path === 'packages/billing/labels/Billing.labels-meta.xml'
          ? Buffer.from(labels.replace('Region_Required', 'Invoice_Late'))
          : undefined;
    expect(await findComponent('CustomLabel', 'Region_Required', files, DIRECTORIES, { read })).toEqual([
      'force-app/main/default/labels/CustomLabels.labels-meta.xml',
    ]);
    expect(await findComponent('CustomLabel', 'Invoice_Late', files, DIRECTORIES, { read })).toEqual([
      'packages/billing/labels/Billing.labels-meta.xml',
    ]);
    expect(await findComponent('CustomLabel', 'Nope', files, DIRECTORIES, { read })).toEqual([]);
    // Without a reader: every labels file, since the label is inside one of them.
    expect(await findComponent('CustomLabel', 'Region_Required', files, DIRECTORIES)).toEqual([
      'force-app/main/default/labels/CustomLabels.labels-meta.xml',
      'packages/billing/labels/Billing.labels-meta.xml',
    ]);
  });
});

describe('readPackageDirectories', () => {
  it('returns the package directories, the default first', () => {
    const json = JSON.stringify({
      packageDirectories: [
        { path: 'packages/billing' },
        { path: './force-app/', default: true, package: 'Core', versionNumber: '1.0.0.NEXT' },
        { path: 'packages\\utils' },
      ],
      namespace: '',
      sourceApiVersion: '62.0',
    });
    expect(readPackageDirectories(json)).toEqual(['force-app', 'packages/billing', 'packages/utils']);
  });

  it('says clearly what is wrong with a broken file', () => {
    expect(() => readPackageDirectories('{ "packageDirectories": [ { "path": "force-app", } ] ')).toThrow(
      /^sfdx-project.json is not valid JSON/,
    );
    expect(() => readPackageDirectories('{}')).toThrow('lists no packageDirectories');
    expect(() => readPackageDirectories('null')).toThrow('lists no packageDirectories');
    expect(() => readPackageDirectories('{"packageDirectories":[{"default":true}]}')).toThrow(
      'without a "path"',
    );
    expect(() => readPackageDirectories('{"packageDirectories":[{"path":"../outside"}]}')).toThrow(
      'leaves the repository',
    );
    expect(() => readPackageDirectories('{"packageDirectories":[{"path":"/abs"}]}')).toThrow('absolute');
    try {
      readPackageDirectories('not json');
    } catch (error) {
      expect(isToolError(error) && error.kind).toBe('invalid');
    }
  });
});
