import { describe, expect, it } from 'vitest';
import { apiNameFromLabel, fieldXml, normalizeField, objectXml } from '../../src/lib/custom-schema.js';

describe('custom object and field source', () => {
  it('derives API names from labels as Setup does', () => {
    expect(apiNameFromLabel('Invoice Total')).toBe('Invoice_Total__c');
    expect(apiNameFromLabel('  Net  €  Amount (EUR) ')).toBe('Net_Amount_EUR__c');
    expect(apiNameFromLabel('2nd Owner')).toBe('X2nd_Owner__c');
  });

  it('fills in the defaults an admin gets and escapes text', () => {
    const currency = normalizeField({ label: 'Amount', type: 'Currency' });
    expect(currency).toMatchObject({ apiName: 'Amount__c', precision: 16, scale: 2 });
    const xml = fieldXml(
      normalizeField({ label: 'R&D <Notes>', type: 'LongTextArea', description: 'Tom\'s "notes"' }),
    );
    expect(xml).toContain('<label>R&amp;D &lt;Notes&gt;</label>');
    expect(xml).toContain('<description>Tom&apos;s &quot;notes&quot;</description>');
    expect(xml).toContain('<length>32768</length>');
    expect(xml).toContain('<visibleLines>3</visibleLines>');
    const lookup = fieldXml(
      normalizeField({ label: 'Customer', type: 'Lookup', referenceTo: 'Account', required: true }),
    );
    expect(lookup).toContain('<deleteConstraint>Restrict</deleteConstraint>');
    expect(lookup).toContain('<relationshipName>Customers</relationshipName>');
    const master = fieldXml(
      normalizeField({ label: 'Invoice', type: 'MasterDetail', referenceTo: 'Invoice__c' }),
    );
    expect(master).not.toContain('<required>');
    expect(master).toContain('<relationshipOrder>0</relationshipOrder>');
    expect(fieldXml(normalizeField({ label: 'Paid', type: 'Checkbox' }))).toContain(
      '<defaultValue>false</defaultValue>',
    );
  });

  it('writes an object with an auto-number name field', () => {
    const xml = objectXml({
      label: 'Invoice',
      pluralLabel: 'Invoices',
      apiName: 'Invoice__c',
      nameFieldLabel: 'Invoice Number',
      nameFieldType: 'AutoNumber',
      displayFormat: 'INV-{0000}',
      controlledByParent: false,
    });
    expect(xml).toContain('<displayFormat>INV-{0000}</displayFormat>');
    expect(xml).toContain('<sharingModel>ReadWrite</sharingModel>');
  });

  it('refuses what Salesforce refuses', () => {
    expect(() => normalizeField({ label: 'Ref', type: 'Text', unique: true, length: 10 })).not.toThrow();
    expect(() => normalizeField({ label: 'Ref', type: 'Date', unique: true })).toThrow(/unique/);
    expect(() => normalizeField({ label: 'Ref', type: 'Text', referenceTo: 'Account' })).toThrow(
      /referenceTo only/,
    );
    expect(() =>
      normalizeField({ label: 'Ref', type: 'Picklist', picklistValues: ['A'], defaultPicklistValue: 'B' }),
    ).toThrow(/not one of/);
    expect(() => normalizeField({ label: 'Ref', apiName: 'Bad__Name__c', type: 'Text' })).toThrow(/API name/);
  });
});
