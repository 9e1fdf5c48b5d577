/** Custom objects and fields from a seed (or anyone else who wants a ready ObjectDef). */
import type { SeedCustomField, SeedCustomObject } from '../seed/types.js';
import { field, labelFromName, objectDef, picklistValues, text } from './fields.js';
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

export function buildCustomObject(spec: SeedCustomObject, keyPrefix: string): ObjectDef {
  const label = spec.label ?? labelFromName(spec.name);
  const masterDetail = (spec.fields ?? []).some((entry) => entry.masterDetail);
  const nameField = spec.nameField?.autoNumberFormat
    ? field('Name', 'string', {
        label: spec.nameField.label ?? `${label} Name`,
        length: 80,
        autoNumber: true,
        nameField: true,
      })
    : text('Name', 80, { label: spec.nameField?.label ?? `${label} Name`, required: true, nameField: true });
  const fields: FieldDef[] = [nameField, ...(spec.fields ?? []).map(buildCustomField)];
  const def = objectDef(spec.name, keyPrefix, fields, {
    label,
    ...(spec.labelPlural ? { labelPlural: spec.labelPlural } : {}),
    custom: true,
    ownable: !masterDetail,
    ...(spec.description ? { description: spec.description } : {}),
  });
  return def;
}
