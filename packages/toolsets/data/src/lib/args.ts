import { LIMITS, z } from '@sfmcp/plugin-api';

/** A Salesforce id: 15 or 18 letters and digits. */
export const recordIdSchema = z
  .string()
  .max(LIMITS.id)
  .regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'a Salesforce id has 15 or 18 letters and digits');

/** An API name of an object or field: letters, digits and underscores (namespaces and __c / __r included). */
export const apiNameSchema = z
  .string()
  .max(LIMITS.name)
  .regex(
    /^[A-Za-z][A-Za-z0-9_]*$/,
    'an API name has letters, digits and underscores, starting with a letter',
  );
