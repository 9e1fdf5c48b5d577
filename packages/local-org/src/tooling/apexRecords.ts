/**
 * ApexClass and ApexTrigger records: what a deploy writes and what test runs read.
 */
import { describeApexClass, describeApexTrigger } from '../apex/index.js';
import type { OrgState, StoredRecord } from '../state/types.js';
import { insertAsOrg, updateAsOrg } from './trusted.js';

export type ApexKind = 'ApexClass' | 'ApexTrigger';

export function findApexRecord(org: OrgState, kind: ApexKind, name: string): StoredRecord | undefined {
  const lower = name.toLowerCase();
  for (const row of org.records.rows(kind)) {
    if (String(row.Name ?? '').toLowerCase() === lower && !row.NamespacePrefix) return row;
  }
  return undefined;
}

export function listApexRecords(org: OrgState, kind: ApexKind): StoredRecord[] {
  return [...org.records.rows(kind)];
}

/** A CRC-32 of the body, as `BodyCrc` carries one. */
function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export interface ApexSource {
  name: string;
  body: string;
  apiVersion?: number;
  status?: string;
}

/** Creates or updates the record of a deployed class or trigger; returns it and whether it was created. */
export function saveApexSource(
  org: OrgState,
  kind: ApexKind,
  source: ApexSource,
): { record: StoredRecord; created: boolean } {
  const values: Record<string, unknown> = {
    Name: source.name,
    Body: source.body,
    BodyCrc: crc32(source.body),
    Status: source.status ?? 'Active',
    IsValid: true,
    ApiVersion: source.apiVersion ?? 62,
  };
  if (kind === 'ApexClass') {
    values.LengthWithoutComments =
      describeApexClass(source.body)?.lengthWithoutComments ?? source.body.length;
  } else {
    const trigger = describeApexTrigger(source.body);
    values.LengthWithoutComments = trigger?.lengthWithoutComments ?? source.body.length;
    values.TableEnumOrId = trigger?.objectName ?? '';
    const events = new Set(trigger?.events ?? []);
    for (const [field, event] of [
      ['UsageBeforeInsert', 'before insert'],
      ['UsageBeforeUpdate', 'before update'],
      ['UsageBeforeDelete', 'before delete'],
      ['UsageAfterInsert', 'after insert'],
      ['UsageAfterUpdate', 'after update'],
      ['UsageAfterDelete', 'after delete'],
      ['UsageAfterUndelete', 'after undelete'],
    ] as const) {
      values[field] = events.has(event);
    }
  }
  const existing = findApexRecord(org, kind, source.name);
  if (existing) return { record: updateAsOrg(org, kind, existing.Id, values), created: false };
  return { record: insertAsOrg(org, kind, values), created: true };
}

export function deleteApexSource(org: OrgState, kind: ApexKind, name: string): boolean {
  const existing = findApexRecord(org, kind, name);
  if (!existing) return false;
  org.records.delete(kind, existing.Id);
  return true;
}

/** Test classes and their methods, from the bodies of the org's classes. */
export interface TestClass {
  record: StoredRecord;
  name: string;
  methods: string[];
}

export function testClassOf(record: StoredRecord): TestClass | undefined {
  const facts = describeApexClass(String(record.Body ?? ''));
  if (!facts?.isTest) return undefined;
  return { record, name: String(record.Name), methods: facts.testMethods };
}

export function allTestClasses(org: OrgState): TestClass[] {
  const classes: TestClass[] = [];
  for (const record of org.records.rows('ApexClass')) {
    const testClass = testClassOf(record);
    if (testClass) classes.push(testClass);
  }
  return classes;
}
