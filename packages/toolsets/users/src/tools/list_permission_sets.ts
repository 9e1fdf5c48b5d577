import type { Connection } from '@salesforce/core';
import {
  LIMITS,
  cursorArgument,
  defineTool,
  formatTable,
  formatTableRow,
  pageWithinBudget,
  toolResult,
  z,
  soqlList,
  salesforceCall,
} from '@sfmcp/plugin-api';

import { type Row, id15, queryAll } from '../lib/query.js';
import { HINTS } from '../lib/hints.js';

const COLUMNS = ['Name', 'Label', 'Kind', 'ActiveUsers', 'Objects', 'System'];
/** Ids per IN list, to keep each query short. */
const CHUNK = 200;

/** Object access letters: Read, Create, Edit, Delete, View all, Modify all. */
const OBJECT_FLAGS: [string, string][] = [
  ['PermissionsRead', 'R'],
  ['PermissionsCreate', 'C'],
  ['PermissionsEdit', 'E'],
  ['PermissionsDelete', 'D'],
  ['PermissionsViewAllRecords', 'V'],
  ['PermissionsModifyAllRecords', 'M'],
];

const permissionSetRow = z.object({
  Id: z.string(),
  Name: z.string(),
  Label: z.string(),
  Kind: z.enum(['PermissionSet', 'PermissionSetGroup']),
  Description: z.string().nullable(),
  ActiveUsers: z.number(),
  /** "Account:RCED" per object: Read, Create, Edit, Delete, View all, Modify all. */
  Objects: z.string(),
  /** System permissions granted, without the "Permissions" prefix. */
  System: z.string(),
});
type PermissionSetRow = z.infer<typeof permissionSetRow>;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) out.push(items.slice(start, start + CHUNK));
  return out;
}

async function systemPermissionFields(connection: Connection): Promise<string[]> {
  const describe = await salesforceCall(() => connection.sobject('PermissionSet').describe(), {
    hints: HINTS,
    prefix: 'Could not describe PermissionSet',
  });
  return describe.fields
    .filter((field) => field.type === 'boolean' && field.name.startsWith('Permissions'))
    .map((field) => field.name);
}

export const listPermissionSets = defineTool({
  name: 'list_permission_sets',
  title: 'List permission sets',
  description:
    "Lists permission sets and permission set groups (not profiles') with what each grants at a glance — object access (Account:RCED = read, create, edit, delete; V/M = view/modify all) and system permissions — and how many active users have it.",
  input: z.object({
    name: z.string().min(1).max(LIMITS.name).optional().describe('Text in the API name or label'),
    includeGroups: z.boolean().default(true).describe('Include permission set groups (default true)'),
    cursor: cursorArgument.describe('From a previous answer, to continue the table'),
  }),
  output: z.object({
    org: z.string(),
    permissionSets: z.array(permissionSetRow),
    matched: z.number(),
    nextCursor: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler({ name, includeGroups, cursor }, ctx) {
    const org = await ctx.org();
    const { connection } = org;
    const permissionFields = await systemPermissionFields(connection);
    const [sets, groups] = await Promise.all([
      queryAll(
        connection,
        `SELECT Id, Name, Label, Description, PermissionSetGroupId${permissionFields.map((field) => `, ${field}`).join('')} FROM PermissionSet WHERE IsOwnedByProfile = false ORDER BY Label`,
      ),
      includeGroups
        ? queryAll(connection, 'SELECT Id, DeveloperName, MasterLabel, Description FROM PermissionSetGroup')
        : Promise.resolve([] as Row[]),
    ]);
    const groupById = new Map(groups.map((group) => [id15(String(group.Id)), group]));
    const needle = name?.toLowerCase();
    const chosen = sets
      .map((set) => {
        const groupId = typeof set.PermissionSetGroupId === 'string' ? set.PermissionSetGroupId : undefined;
        const group = groupId ? groupById.get(id15(groupId)) : undefined;
        return { set, group, isGroup: groupId !== undefined };
      })
      .filter(({ group, isGroup }) => !isGroup || group !== undefined)
      .map(({ set, group }) => ({
        set,
        row: {
          Id: String(group?.Id ?? set.Id),
          Name: String(group?.DeveloperName ?? set.Name),
          Label: String(group?.MasterLabel ?? set.Label ?? set.Name),
          Kind: group ? ('PermissionSetGroup' as const) : ('PermissionSet' as const),
          Description: ((group ?? set).Description as string | null | undefined) ?? null,
          ActiveUsers: 0,
          Objects: '',
          System: permissionFields
            .filter((field) => set[field] === true)
            .map((field) => field.slice('Permissions'.length))
            .join(', '),
        } satisfies PermissionSetRow,
      }))
      .filter(
        ({ row }) =>
          !needle || row.Name.toLowerCase().includes(needle) || row.Label.toLowerCase().includes(needle),
      );

    const setIds = chosen.map(({ set }) => String(set.Id));
    const bySet = new Map(chosen.map(({ set, row }) => [id15(String(set.Id)), row]));
    for (const ids of chunks(setIds)) {
      const list = soqlList(ids);
      const [objects, counts] = await Promise.all([
        queryAll(
          connection,
          `SELECT ParentId, SobjectType, ${OBJECT_FLAGS.map(([field]) => field).join(', ')} FROM ObjectPermissions WHERE ParentId IN ${list} ORDER BY SobjectType`,
        ),
        queryAll(
          connection,
          `SELECT PermissionSetId, COUNT(Id) users FROM PermissionSetAssignment WHERE PermissionSetId IN ${list} AND Assignee.IsActive = true GROUP BY PermissionSetId`,
        ),
      ]);
      for (const object of objects) {
        const row = bySet.get(id15(String(object.ParentId)));
        const flags = OBJECT_FLAGS.filter(([field]) => object[field] === true)
          .map(([, letter]) => letter)
          .join('');
        if (!row || !flags) continue;
        row.Objects += `${row.Objects ? ', ' : ''}${String(object.SobjectType)}:${flags}`;
      }
      for (const count of counts) {
        const row = bySet.get(id15(String(count.PermissionSetId)));
        if (row) row.ActiveUsers = Number(count.users ?? 0);
      }
    }

    const rows = chosen.map(({ row }) => row);
    const page = pageWithinBudget(ctx, rows, {
      cursor,
      binding: { org: org.username, listing: { name, includeGroups } },
      sizeOf: (row) => formatTableRow(row, COLUMNS).length + JSON.stringify(row).length,
    });
    const { offset, nextCursor } = page;
    const text = [
      rows.length === 0
        ? 'No permission sets match.'
        : `${rows.length} permission sets${includeGroups ? ' and groups' : ''}; showing ${offset + 1}–${offset + page.items.length}. Objects: R read, C create, E edit, D delete, V view all, M modify all.`,
      ...(page.items.length ? [formatTable(page.items, COLUMNS)] : []),
      ...(nextCursor ? [`More: call again with cursor "${nextCursor}".`] : []),
    ].join('\n');
    return toolResult({
      text,
      structured: {
        org: org.username,
        permissionSets: page.items,
        matched: rows.length,
        ...(nextCursor ? { nextCursor } : {}),
      },
      org,
    });
  },
});
