/** What a user can do about the errors the data tools meet, besides the common ones (plugin-api). */
export const HINTS: Readonly<Record<string, string>> = {
  INVALID_FIELD: 'Check the field names with describe_object.',
  INVALID_TYPE: 'Check the object name with list_objects.',
};
