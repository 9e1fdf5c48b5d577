/**
 * Many records fast, for volume tests (100,000 Accounts in a few seconds): values are generated
 * per field type, deterministic for a given `seed`, and written through the normal store so they
 * are validated like any other record.
 */
import { SalesforceApiError } from '../errors.js';
import type { FieldDef, OrgState } from '../state/types.js';
import { SeededRandom, dayOffset } from './random.js';

export interface VolumeOptions {
  /** The org to add the records to. */
  org: OrgState;
  /** Random seed; the same seed gives the same records. */
  seed?: number;
  /** Fixed values every generated record gets (`{ Industry: 'Banking' }`). */
  fixed?: Record<string, unknown>;
}

export interface VolumeResult {
  objectName: string;
  inserted: number;
  firstId?: string;
  lastId?: string;
}

const WORDS = [
  'Summit',
  'Harbor',
  'Granite',
  'Cedar',
  'Atlas',
  'Nova',
  'Vertex',
  'Beacon',
  'Pioneer',
  'Lumen',
  'Sterling',
  'Crescent',
];
const KINDS = [
  'Holdings',
  'Systems',
  'Outfitters',
  'Labs',
  'Partners',
  'Supply',
  'Group',
  'Works',
  'Logistics',
  'Foods',
];
const CITIES = [
  'Austin',
  'Boston',
  'Chicago',
  'Denver',
  'Seattle',
  'Atlanta',
  'Phoenix',
  'Portland',
  'Toronto',
  'London',
  'Berlin',
  'Tokyo',
];
const FIRST = ['Ana', 'Ben', 'Chloe', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivan', 'Jia', 'Kofi', 'Lena'];
const LAST = [
  'Adams',
  'Brooks',
  'Cruz',
  'Diaz',
  'Evans',
  "O'Neil",
  'Grant',
  'Hayes',
  'Ito',
  'Jensen',
  'Khan',
  'Lopez',
];

/** Values for the fields generated records fill, per object; other required fields get values by type. */
function knownValues(
  objectName: string,
  index: number,
  random: SeededRandom,
  today: Date,
): Record<string, unknown> {
  switch (objectName) {
    case 'Account':
      return {
        Name: `${random.pick(WORDS)} ${random.pick(KINDS)} ${index + 1}`,
        Industry: random.pick([
          'Banking',
          'Retail',
          'Technology',
          'Manufacturing',
          'Healthcare',
          'Energy',
          'Education',
        ]),
        Type: random.pick(['Prospect', 'Customer - Direct', 'Customer - Channel']),
        BillingCity: random.pick(CITIES),
        AnnualRevenue: random.int(1, 5000) * 10000,
        NumberOfEmployees: random.int(1, 50000),
        Rating: random.pick(['Hot', 'Warm', 'Cold']),
      };
    case 'Contact':
    case 'Lead': {
      const first = random.pick(FIRST);
      const last = random.pick(LAST);
      return {
        FirstName: first,
        LastName: `${last} ${index + 1}`,
        Email: `${first}.${index + 1}@volume.example`.toLowerCase(),
        ...(objectName === 'Lead'
          ? { Company: `${random.pick(WORDS)} ${random.pick(KINDS)}`, Status: 'Open - Not Contacted' }
          : {}),
      };
    }
    case 'Opportunity':
      return {
        Name: `Volume deal ${index + 1}`,
        StageName: random.pick([
          'Prospecting',
          'Qualification',
          'Needs Analysis',
          'Closed Won',
          'Closed Lost',
        ]),
        CloseDate: dayOffset(today, random.int(-365, 365)),
        Amount: random.int(1, 1000) * 100,
      };
    case 'Case':
      return {
        Subject: `Volume case ${index + 1}`,
        Status: random.pick(['New', 'Working', 'Closed']),
        Priority: random.pick(['High', 'Medium', 'Low']),
      };
    case 'Task':
      return { Subject: `Volume task ${index + 1}`, ActivityDate: dayOffset(today, random.int(-30, 30)) };
    default:
      return {};
  }
}

function valueForType(field: FieldDef, index: number, random: SeededRandom, today: Date): unknown {
  switch (field.type) {
    case 'string':
    case 'textarea':
    case 'combobox':
    case 'encryptedstring':
      return `${field.name} ${index + 1}`.slice(0, field.length ?? 255);
    case 'email':
      return `record${index + 1}@volume.example`;
    case 'phone':
      return `555-${String(index % 10000).padStart(4, '0')}`;
    case 'url':
      return `https://example.com/${index + 1}`;
    case 'picklist':
    case 'multipicklist':
      return field.picklistValues?.[0]?.value ?? null;
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return random.int(0, 99);
    case 'date':
      return dayOffset(today, random.int(-365, 365));
    case 'datetime':
      return `${dayOffset(today, random.int(-365, 365))}T12:00:00.000+0000`;
    case 'boolean':
      return random.next() < 0.5;
    default:
      return null;
  }
}

/** Adds `count` generated records of `objectName` to `options.org`. References to other records are left empty. */
export function generateVolume(objectName: string, count: number, options: VolumeOptions): VolumeResult {
  const { org } = options;
  const def = org.schema.getObject(objectName);
  if (!def)
    throw new SalesforceApiError(400, 'INVALID_TYPE', `sObject type '${objectName}' is not supported.`);
  const random = new SeededRandom(options.seed ?? 42);
  const today = org.now();
  const required = def.fields.filter(
    (field) =>
      !field.nillable &&
      field.createable &&
      !field.defaultedOnCreate &&
      field.type !== 'boolean' &&
      field.type !== 'reference',
  );
  const result: VolumeResult = { objectName: def.name, inserted: 0 };
  for (let index = 0; index < count; index++) {
    const values: Record<string, unknown> = knownValues(def.name, index, random, today);
    for (const field of required) {
      if (values[field.name] === undefined) values[field.name] = valueForType(field, index, random, today);
    }
    const unique = def.fields.find(
      (field) =>
        field.unique && field.createable && field.type === 'string' && values[field.name] === undefined,
    );
    if (unique) values[unique.name] = `VOL-${options.seed ?? 42}-${index + 1}`;
    Object.assign(values, options.fixed);
    const record = org.records.insert(def.name, values);
    result.inserted += 1;
    result.firstId ??= record.Id;
    result.lastId = record.Id;
  }
  return result;
}
