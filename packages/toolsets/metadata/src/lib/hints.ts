/** What a user can do about the errors the metadata tools meet, besides the common ones (plugin-api). */
export const HINTS: Readonly<Record<string, string>> = {
  INVALID_ID_FIELD:
    'Check the job id: it must come from this org and, for a quick deploy, be a successful validation.',
  INSUFFICIENT_ACCESS: 'The user lacks access to the Metadata API; check profiles and permission sets.',
};
