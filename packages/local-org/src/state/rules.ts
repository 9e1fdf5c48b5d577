/**
 * What a real org computes or enforces for particular standard objects: full names, address
 * compounds, opportunity stage consequences, case numbers and closing, activity times,
 * permission set assignment shape.
 */
import { SalesforceApiError } from '../errors.js';
import { FORECAST_CATEGORY_NAMES, OPPORTUNITY_STAGES } from './standard-objects.js';
import type { ObjectDef, RecordStore, StoredRecord } from './types.js';
import { formatDateTime } from './values.js';

type StoreWithClock = Pick<RecordStore, 'get' | 'rows'>;

/** What the rules that write other records need. */
type WritableStore = Pick<RecordStore, 'get' | 'rows' | 'insert' | 'update'>;

function find(
  store: StoreWithClock,
  objectName: string,
  test: (row: StoredRecord) => boolean,
): StoredRecord | undefined {
  for (const row of store.rows(objectName)) if (test(row)) return row;
  return undefined;
}

/** The permission set that carries a profile's or a permission set group's permissions. */
function ownedPermissionSet(
  store: StoreWithClock,
  field: 'ProfileId' | 'PermissionSetGroupId',
  ownerId: unknown,
): StoredRecord | undefined {
  return typeof ownerId === 'string'
    ? find(store, 'PermissionSet', (row) => row[field] === ownerId)
    : undefined;
}

/**
 * Records the platform writes along with another: every permission set group has its own aggregate
 * permission set, and every user is assigned the permission set owned by their profile (which is why
 * queries on PermissionSetAssignment filter on `PermissionSet.IsOwnedByProfile = false`).
 */
export function afterWrite(
  def: ObjectDef,
  record: StoredRecord,
  previous: StoredRecord | undefined,
  store: WritableStore,
): void {
  switch (def.name) {
    case 'PermissionSetGroup': {
      if (previous) break;
      store.insert(
        'PermissionSet',
        {
          Name: `X${record.Id.slice(0, 15)}`,
          Label: record.MasterLabel,
          PermissionSetGroupId: record.Id,
          Type: 'Group',
          IsCustom: false,
        },
        { trusted: true },
      );
      break;
    }
    case 'User': {
      // Every user has one UserLogin, which is how a user is frozen.
      if (!previous)
        store.insert(
          'UserLogin',
          { UserId: record.Id, IsFrozen: false, IsPasswordLocked: false },
          { trusted: true },
        );
      if (previous && previous.ProfileId === record.ProfileId) break;
      const permissionSet = ownedPermissionSet(store, 'ProfileId', record.ProfileId);
      if (!permissionSet) break;
      const existing = previous
        ? find(store, 'PermissionSetAssignment', (row) => {
            if (row.AssigneeId !== record.Id || typeof row.PermissionSetId !== 'string') return false;
            return store.get(row.PermissionSetId)?.IsOwnedByProfile === true;
          })
        : undefined;
      if (existing)
        store.update(
          'PermissionSetAssignment',
          existing.Id,
          { PermissionSetId: permissionSet.Id },
          { trusted: true },
        );
      else
        store.insert(
          'PermissionSetAssignment',
          { AssigneeId: record.Id, PermissionSetId: permissionSet.Id },
          { trusted: true },
        );
      break;
    }
    default:
      break;
  }
}

function changed(changes: Record<string, unknown>, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(changes, name);
}

function fullName(record: StoredRecord): string | null {
  const parts = [record.FirstName, record.LastName].filter((part) => typeof part === 'string' && part !== '');
  return parts.length > 0 ? parts.join(' ') : null;
}

/** Fills `<prefix>Address` from its parts, as the platform does for compound address fields. */
function deriveAddresses(def: ObjectDef, record: StoredRecord): void {
  for (const field of def.fields) {
    if (field.type !== 'address') continue;
    const prefix = field.name.slice(0, -'Address'.length);
    const parts = {
      city: record[`${prefix}City`] ?? null,
      country: record[`${prefix}Country`] ?? null,
      geocodeAccuracy: null,
      latitude: null,
      longitude: null,
      postalCode: record[`${prefix}PostalCode`] ?? null,
      state: record[`${prefix}State`] ?? null,
      street: record[`${prefix}Street`] ?? null,
    };
    const hasAny =
      parts.city !== null ||
      parts.country !== null ||
      parts.postalCode !== null ||
      parts.state !== null ||
      parts.street !== null;
    record[field.name] = hasAny ? parts : null;
  }
}

/** Fills a geolocation compound (`Location__c`) from its components, as `{latitude, longitude}`. */
function deriveLocations(def: ObjectDef, record: StoredRecord): void {
  for (const field of def.fields) {
    if (field.type !== 'location') continue;
    const [latitude, longitude] = ['Latitude', 'Longitude'].map(
      (part) =>
        def.fields.find(
          (component) =>
            component.compoundFieldName === field.name && component.name.endsWith(`__${part}__s`),
        )?.name,
    );
    // Only geolocations made of components: other `location`-typed values (Tooling's Coverage) are stored whole.
    if (!latitude && !longitude) continue;
    const lat = latitude ? (record[latitude] ?? null) : null;
    const long = longitude ? (record[longitude] ?? null) : null;
    record[field.name] = lat === null && long === null ? null : { latitude: lat, longitude: long };
  }
}

export function deriveFields(
  def: ObjectDef,
  record: StoredRecord,
  previous: StoredRecord | undefined,
  changes: Record<string, unknown>,
  store: StoreWithClock,
): void {
  if (def.fields.some((field) => field.type === 'address')) deriveAddresses(def, record);
  if (def.fields.some((field) => field.type === 'location')) deriveLocations(def, record);
  switch (def.name) {
    case 'Contact':
    case 'Lead':
    case 'User':
      record.Name = fullName(record);
      break;
    case 'Opportunity': {
      const stage = OPPORTUNITY_STAGES.find((entry) => entry.name === record.StageName);
      if (stage) {
        const stageChanged = !previous || previous.StageName !== record.StageName;
        if (stageChanged && !changed(changes, 'Probability')) record.Probability = stage.probability;
        if (stageChanged && !changed(changes, 'ForecastCategoryName'))
          record.ForecastCategoryName = FORECAST_CATEGORY_NAMES[stage.forecastCategory] ?? null;
        record.IsClosed = stage.closed;
        record.IsWon = stage.won;
      }
      const categoryName = record.ForecastCategoryName;
      const category = Object.entries(FORECAST_CATEGORY_NAMES).find(([, name]) => name === categoryName)?.[0];
      record.ForecastCategory = category ?? record.ForecastCategory ?? null;
      const amount = typeof record.Amount === 'number' ? record.Amount : null;
      const probability = typeof record.Probability === 'number' ? record.Probability : null;
      record.ExpectedRevenue =
        amount !== null && probability !== null ? Math.round(amount * probability) / 100 : null;
      if (typeof record.CloseDate === 'string') {
        const year = Number(record.CloseDate.slice(0, 4));
        const quarter = Math.ceil(Number(record.CloseDate.slice(5, 7)) / 3);
        record.FiscalYear = year;
        record.FiscalQuarter = quarter;
        record.Fiscal = `${year} ${quarter}`;
      }
      break;
    }
    case 'Case': {
      const closed = record.Status === 'Closed';
      if (closed && !record.IsClosed && !changed(changes, 'ClosedDate'))
        record.ClosedDate = record.LastModifiedDate ?? null;
      if (!closed) record.ClosedDate = null;
      record.IsClosed = closed;
      break;
    }
    case 'Task': {
      const closed = record.Status === 'Completed';
      if (closed && !record.IsClosed && !changed(changes, 'CompletedDateTime'))
        record.CompletedDateTime = record.LastModifiedDate ?? null;
      if (!closed) record.CompletedDateTime = null;
      record.IsClosed = closed;
      record.IsHighPriority = record.Priority === 'High';
      if (!previous && record.TaskSubtype === null) record.TaskSubtype = 'Task';
      break;
    }
    case 'Event':
      deriveEventTimes(record, changes);
      break;
    case 'PermissionSetAssignment': {
      // A group assignment points at the group's aggregate permission set, as in a real org.
      if (typeof record.PermissionSetGroupId === 'string' && record.PermissionSetId === null) {
        record.PermissionSetId =
          ownedPermissionSet(store, 'PermissionSetGroupId', record.PermissionSetGroupId)?.Id ?? null;
      }
      break;
    }
    case 'PricebookEntry': {
      const product = typeof record.Product2Id === 'string' ? store.get(record.Product2Id) : undefined;
      record.Name = (product?.Name as string | undefined) ?? null;
      record.ProductCode = (product?.ProductCode as string | undefined) ?? null;
      break;
    }
    default:
      break;
  }
}

function deriveEventTimes(record: StoredRecord, changes: Record<string, unknown>): void {
  if (record.StartDateTime === null && typeof record.ActivityDateTime === 'string')
    record.StartDateTime = record.ActivityDateTime;
  if (typeof record.StartDateTime !== 'string') return;
  record.ActivityDateTime = record.StartDateTime;
  record.ActivityDate = record.StartDateTime.slice(0, 10);
  const start = Date.parse(record.StartDateTime.replace('+0000', 'Z'));
  if (changed(changes, 'EndDateTime') && typeof record.EndDateTime === 'string') {
    record.DurationInMinutes = Math.round(
      (Date.parse(record.EndDateTime.replace('+0000', 'Z')) - start) / 60_000,
    );
  } else if (typeof record.DurationInMinutes === 'number') {
    record.EndDateTime = formatDateTime(new Date(start + record.DurationInMinutes * 60_000));
  } else if (typeof record.EndDateTime === 'string') {
    record.DurationInMinutes = Math.round(
      (Date.parse(record.EndDateTime.replace('+0000', 'Z')) - start) / 60_000,
    );
  }
}

export function validateRecord(
  def: ObjectDef,
  record: StoredRecord,
  previous: StoredRecord | undefined,
  store: StoreWithClock,
  trusted = false,
): void {
  switch (def.name) {
    case 'Event': {
      if (record.StartDateTime === null) {
        throw new SalesforceApiError(
          400,
          'REQUIRED_FIELD_MISSING',
          'Required fields are missing: [ActivityDateTime]',
          ['ActivityDateTime'],
        );
      }
      if (record.DurationInMinutes === null) {
        throw new SalesforceApiError(
          400,
          'REQUIRED_FIELD_MISSING',
          'Required fields are missing: [DurationInMinutes]',
          ['DurationInMinutes'],
        );
      }
      if (typeof record.DurationInMinutes === 'number' && record.DurationInMinutes < 0) {
        throw new SalesforceApiError(
          400,
          'FIELD_INTEGRITY_EXCEPTION',
          "End Date Time: End time can't be before start time",
          ['EndDateTime'],
        );
      }
      break;
    }
    case 'PermissionSetAssignment': {
      if (
        previous &&
        previous.PermissionSetId === record.PermissionSetId &&
        previous.PermissionSetGroupId === record.PermissionSetGroupId
      )
        break;
      const hasGroup = typeof record.PermissionSetGroupId === 'string';
      const groupPermissionSet = hasGroup
        ? ownedPermissionSet(store, 'PermissionSetGroupId', record.PermissionSetGroupId)
        : undefined;
      const hasOwnPermissionSet =
        typeof record.PermissionSetId === 'string' && record.PermissionSetId !== groupPermissionSet?.Id;
      if (!hasOwnPermissionSet && !hasGroup) {
        throw new SalesforceApiError(
          400,
          'REQUIRED_FIELD_MISSING',
          'Required fields are missing: [PermissionSetId]',
          ['PermissionSetId'],
        );
      }
      if (hasOwnPermissionSet && hasGroup) {
        throw new SalesforceApiError(
          400,
          'FIELD_INTEGRITY_EXCEPTION',
          'Specify either a permission set or a permission set group, not both.',
          ['PermissionSetGroupId'],
        );
      }
      if (hasOwnPermissionSet && !trusted) {
        const permissionSet = store.get(record.PermissionSetId as string);
        if (permissionSet?.IsOwnedByProfile === true) {
          throw new SalesforceApiError(
            400,
            'INVALID_CROSS_REFERENCE_KEY',
            "You can't assign or unassign this permission set because it's associated with a profile.",
            ['PermissionSetId'],
          );
        }
        if (permissionSet?.Type === 'Group') {
          throw new SalesforceApiError(
            400,
            'INVALID_CROSS_REFERENCE_KEY',
            'Assign the permission set group instead of its aggregate permission set.',
            ['PermissionSetId'],
          );
        }
      }
      for (const other of store.rows('PermissionSetAssignment')) {
        if (other.Id === record.Id || other.AssigneeId !== record.AssigneeId) continue;
        const same = hasGroup
          ? other.PermissionSetGroupId === record.PermissionSetGroupId
          : other.PermissionSetId === record.PermissionSetId;
        if (same) {
          const target = hasGroup
            ? `PermissionSetGroup: ${String(record.PermissionSetGroupId).slice(0, 15)}`
            : `PermissionSet: ${String(record.PermissionSetId).slice(0, 15)}`;
          throw new SalesforceApiError(
            400,
            'DUPLICATE_VALUE',
            `Duplicate PermissionSetAssignment. Assignee: ${String(record.AssigneeId).slice(0, 15)}; ${target}`,
            [],
          );
        }
      }
      break;
    }
    default:
      break;
  }
}
