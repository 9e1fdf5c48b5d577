import {
  LIMITS,
  cursorArgument,
  defineTool,
  formatTable,
  formatTableRow,
  pageWithinBudget,
  toolResult,
  z,
  soqlContains,
  soqlString,
} from '@sfmcp/plugin-api';

import { path, queryAll } from '../lib/query.js';
import { resolvePermissionSets } from '../lib/resolve.js';

const COLUMNS = ['Username', 'Name', 'Alias', 'Email', 'Active', 'Profile', 'Role', 'LastLogin'];

const userRow = z.object({
  Id: z.string(),
  Username: z.string(),
  Name: z.string(),
  Alias: z.string().nullable(),
  Email: z.string().nullable(),
  Active: z.boolean(),
  Profile: z.string().nullable(),
  Role: z.string().nullable(),
  LastLogin: z.string().nullable(),
});

export const listUsers = defineTool({
  name: 'list_users',
  title: 'List users',
  description:
    'Lists users as a compact table (username, name, alias, email, active, profile, role, last login), filtered by active, profile, permission set or group, name and email.',
  input: z.object({
    isActive: z.boolean().optional().describe('true: active users only; false: inactive only; default: both'),
    profile: z.string().min(1).max(LIMITS.name).optional().describe('Profile name, e.g. "Standard User"'),
    permissionSet: z
      .string()
      .min(1)
      .max(LIMITS.name)
      .optional()
      .describe('Only users assigned this permission set or group (API name or label)'),
    name: z.string().min(1).max(LIMITS.name).optional().describe('Text in the name, username or alias'),
    email: z.string().min(1).max(LIMITS.name).optional().describe('Text in the email address'),
    limit: z.number().int().min(1).max(2000).default(200).describe('At most this many users (default 200)'),
    cursor: cursorArgument.describe('From a previous answer, to continue the table'),
  }),
  output: z.object({
    org: z.string(),
    users: z.array(userRow),
    /** Users matching (up to limit). */
    matched: z.number(),
    nextCursor: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const { connection } = org;
    const filters = {
      isActive: input.isActive,
      profile: input.profile,
      permissionSet: input.permissionSet,
      name: input.name,
      email: input.email,
      limit: input.limit,
    };
    const where: string[] = [];
    if (input.isActive !== undefined) where.push(`IsActive = ${input.isActive}`);
    if (input.profile) where.push(`Profile.Name = ${soqlString(input.profile)}`);
    if (input.permissionSet) {
      const [target] = await resolvePermissionSets(connection, [input.permissionSet], '');
      const field = target!.kind === 'PermissionSetGroup' ? 'PermissionSetGroupId' : 'PermissionSetId';
      where.push(
        `Id IN (SELECT AssigneeId FROM PermissionSetAssignment WHERE ${field} = ${soqlString(target!.Id)})`,
      );
    }
    if (input.name) {
      const like = soqlContains(input.name);
      where.push(`(Name LIKE ${like} OR Username LIKE ${like} OR Alias LIKE ${like})`);
    }
    if (input.email) where.push(`Email LIKE ${soqlContains(input.email)}`);
    const soql = `SELECT Id, Username, Name, Alias, Email, IsActive, Profile.Name, UserRole.Name, LastLoginDate FROM User${
      where.length ? ` WHERE ${where.join(' AND ')}` : ''
    } ORDER BY Name, Username LIMIT ${input.limit}`;
    const rows = (await queryAll(connection, soql)).map((row) => ({
      Id: String(row.Id),
      Username: String(row.Username),
      Name: String(row.Name ?? ''),
      Alias: (row.Alias as string | null) ?? null,
      Email: (row.Email as string | null) ?? null,
      Active: row.IsActive === true,
      Profile: (path(row, 'Profile.Name') as string | null | undefined) ?? null,
      Role: (path(row, 'UserRole.Name') as string | null | undefined) ?? null,
      LastLogin: typeof row.LastLoginDate === 'string' ? row.LastLoginDate.slice(0, 10) : null,
    }));
    const page = pageWithinBudget(ctx, rows, {
      cursor: input.cursor,
      binding: { org: org.username, listing: filters },
      sizeOf: (row) => formatTableRow(row, COLUMNS).length + JSON.stringify(row).length,
    });
    const { offset, nextCursor } = page;
    const shown = page.items.length;
    const headline =
      rows.length === 0
        ? 'No users match.'
        : `${rows.length}${rows.length === input.limit ? '+ (limit reached)' : ''} users match; showing ${offset + 1}–${offset + shown}.`;
    const text = [
      headline,
      ...(shown ? [formatTable(page.items, COLUMNS)] : []),
      ...(nextCursor ? [`More: call again with cursor "${nextCursor}".`] : []),
    ].join('\n');
    return toolResult({
      text,
      structured: {
        org: org.username,
        users: page.items,
        matched: rows.length,
        ...(nextCursor ? { nextCursor } : {}),
      },
      org,
    });
  },
});
