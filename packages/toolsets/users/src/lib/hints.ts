/** What a user can do about the errors user management meets, besides the common ones (plugin-api). */
export const HINTS: Readonly<Record<string, string>> = {
  INSUFFICIENT_ACCESS: 'The org user lacks the permission (Manage Users / Assign Permission Sets).',
  INSUFFICIENT_ACCESS_OR_READONLY:
    'The org user lacks the permission (Manage Users / Assign Permission Sets).',
};
