/** Custom objects and fields from a seed (or anyone else who wants a ready ObjectDef). */
import type { SeedCustomField, SeedCustomObject } from '../seed/types.js';
import { field, geolocation, labelFromName, objectDef, picklistValues, text } from './fields.js';
import type { FieldDef, ObjectDef } from './types.js';

const DEFAULT_LENGTHS: Partial<Record<SeedCustomField['type'], number>> = {
  string: 255,
  textarea: 32768,
  email: 80,
  phone: 40,
  url: 255,
  picklist: 255,
  multipicklist: 4099,
};

export function buildCustomField(spec: SeedCustomField): FieldDef {
  const type = spec.type;
  const isReference = type === 'reference';
  const precision = spec.precision ?? (type === 'int' ? 9 : 18);
  const def = field(spec.name, type === 'int' ? 'double' : type, {
    label: spec.label ?? labelFromName(spec.name),
    custom: true,
    required: spec.required === true || spec.masterDetail === true,
    unique: spec.unique ?? false,
    externalId: spec.externalId ?? false,
    ...(spec.defaultValue !== undefined ? { defaultValue: spec.defaultValue } : {}),
    ...(DEFAULT_LENGTHS[type] !== undefined || spec.length !== undefined
      ? { length: spec.length ?? DEFAULT_LENGTHS[type] }
      : {}),
    ...(['int', 'double', 'currency', 'percent'].includes(type)
      ? { precision, scale: type === 'int' ? 0 : (spec.scale ?? (type === 'currency' ? 2 : 0)) }
      : {}),
    ...(isReference
      ? {
          referenceTo: Array.isArray(spec.referenceTo)
            ? spec.referenceTo
            : spec.referenceTo
              ? [spec.referenceTo]
              : [],
          relationshipName: spec.name.replace(/__c$/i, '__r'),
          cascadeDelete: spec.masterDetail === true,
        }
      : {}),
    ...(spec.description ? { description: spec.description } : {}),
    restricted: spec.restricted ?? false,
  });
  if (type === 'picklist' || type === 'multipicklist') {
    def.picklistValues = picklistValues(
      spec.values ?? [],
      typeof spec.defaultValue === 'string' ? spec.defaultValue : undefined,
    );
  }
  if (isReference && spec.childRelationshipName) def.childRelationshipName = spec.childRelationshipName;
  if (spec.masterDetail) def.updateable = true;
  return def;
}

/**
 * A custom field as the Metadata API describes it: a seed field plus what only deployed metadata says
 * (geolocation compounds, auto number formats, custom metadata relationships).
 */
export interface CustomFieldSpec extends SeedCustomField {
  /** A geolocation field (`<type>Location</type>`): `type` is ignored; builds the compound and its two components. */
  location?: { scale?: number; displayInDecimal?: boolean };
  /** An auto number field (`<type>AutoNumber</type>`): `type` is `string`. */
  autoNumber?: { format?: string; start?: number };
  /**
   * A custom metadata relationship (`<type>MetadataRelationship</type>`): the value is the API name of an
   * EntityDefinition (`Account`), a FieldDefinition (`Account.Industry`) or a record of another type.
   */
  metadataRelationship?: { referenceTo: string; relationshipName?: string; controllingField?: string };
}

/** The fields one spec becomes: one, or three for a geolocation field. */
export function buildCustomFields(spec: CustomFieldSpec): FieldDef[] {
  if (spec.location) {
    return geolocation(spec.name, {
      ...(spec.label ? { label: spec.label } : {}),
      ...(spec.location.scale !== undefined ? { scale: spec.location.scale } : {}),
      ...(spec.required ? { required: true } : {}),
      ...(spec.location.displayInDecimal ? { displayInDecimal: true } : {}),
      ...(spec.description ? { description: spec.description } : {}),
    });
  }
  if (spec.autoNumber) {
    const def = field(spec.name, 'string', {
      label: spec.label ?? labelFromName(spec.name),
      length: 30,
      autoNumber: true,
      custom: true,
      externalId: spec.externalId ?? false,
      ...(spec.description ? { description: spec.description } : {}),
    });
    return [withAutoNumber(def, spec.autoNumber.format, spec.autoNumber.start)];
  }
  const def = buildCustomField(spec);
  if (spec.metadataRelationship) {
    const { referenceTo, relationshipName } = spec.metadataRelationship;
    def.referenceTo = [referenceTo];
    def.relationshipName = relationshipName ? `${relationshipName}__r` : spec.name.replace(/__c$/i, '__r');
  }
  return [def];
}

/** An auto number's display format (`SH-{0000}`) and starting number on its field. */
function withAutoNumber(def: FieldDef, format: string | undefined, start: number | undefined): FieldDef {
  if (format) def.autoNumberFormat = format;
  if (start !== undefined && Number.isInteger(start) && start >= 0) def.autoNumberStart = start;
  return def;
}

/** A custom object as seeds and deployed metadata describe it. */
export interface CustomObjectSpec extends Omit<SeedCustomObject, 'fields' | 'nameField'> {
  /** The Name field; an auto number may count from `startingNumber` (CustomObject nameField `startingNumber`). */
  nameField?: NonNullable<SeedCustomObject['nameField']> & { startingNumber?: number };
  fields?: CustomFieldSpec[];
}

export function buildCustomObject(spec: CustomObjectSpec, keyPrefix: string): ObjectDef {
  const label = spec.label ?? labelFromName(spec.name);
  const masterDetail = (spec.fields ?? []).some((entry) => entry.masterDetail);
  const nameField = spec.nameField?.autoNumberFormat
    ? withAutoNumber(
        field('Name', 'string', {
          label: spec.nameField.label ?? `${label} Name`,
          length: 80,
          autoNumber: true,
          nameField: true,
        }),
        spec.nameField.autoNumberFormat,
        spec.nameField.startingNumber,
      )
    : text('Name', 80, { label: spec.nameField?.label ?? `${label} Name`, required: true, nameField: true });
  const fields: FieldDef[] = [nameField, ...(spec.fields ?? []).flatMap(buildCustomFields)];
  const def = objectDef(spec.name, keyPrefix, fields, {
    label,
    ...(spec.labelPlural ? { labelPlural: spec.labelPlural } : {}),
    custom: true,
    ownable: !masterDetail,
    ...(spec.description ? { description: spec.description } : {}),
  });
  return def;
}
