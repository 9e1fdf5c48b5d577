import {
  LIMITS,
  ToolError,
  defineTool,
  toolResult,
  z,
  soqlString,
  salesforceCall,
  saveError,
} from '@sfmcp/plugin-api';
import { collections } from '../lib/collections.js';

import { queryAll } from '../lib/query.js';
import { resolvePermissionSets, targetLabel } from '../lib/resolve.js';
import { HINTS } from '../lib/hints.js';

/** A default alias: first letter of the first name and the last name, letters and digits, at most 8. */
export function defaultAlias(firstName: string | undefined, lastName: string): string {
  const clean = (text: string) => text.normalize('NFD').replace(/[^A-Za-z0-9]/g, '');
  const alias = `${clean(firstName ?? '').slice(0, 1)}${clean(lastName)}`.slice(0, 8).toLowerCase();
  return alias || 'user';
}

export const createUser = defineTool({
  name: 'create_user',
  title: 'Create a user',
  description:
    "Creates a user from a profile, names and email, optionally assigning permission sets. The username (default: the email) is checked for uniqueness first; locale, language and time zone default to the org's.",
  input: z.object({
    profile: z.string().min(1).max(LIMITS.name).describe('Profile name, e.g. "Standard User"'),
    lastName: z.string().min(1).max(80),
    firstName: z.string().min(1).max(40).optional(),
    email: z.email(),
    username: z
      .email()
      .optional()
      .describe('Login name in email form, unique across Salesforce; default: the email'),
    alias: z.string().min(1).max(8).optional().describe('Up to 8 characters; default from the names'),
    title: z.string().max(80).optional(),
    permissionSetNames: z
      .array(z.string().min(1).max(LIMITS.name))
      .max(20)
      .optional()
      .describe('Permission sets or groups to assign'),
    timeZoneSidKey: z.string().max(64).optional().describe("e.g. Europe/Paris; default: the org's"),
    localeSidKey: z.string().max(64).optional().describe("e.g. fr_FR; default: the org's"),
    languageLocaleKey: z.string().max(64).optional().describe("e.g. fr; default: the org's"),
  }),
  output: z.object({
    org: z.string(),
    userId: z.string(),
    username: z.string(),
    assigned: z.array(z.string()),
    failed: z.array(z.object({ permissionSet: z.string(), error: z.string() })),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  release: 'preview',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const { connection } = org;
    const username = input.username ?? input.email;
    const [profiles, taken, organization, targets] = await Promise.all([
      queryAll(connection, `SELECT Id, Name FROM Profile WHERE Name = ${soqlString(input.profile)}`),
      queryAll(connection, `SELECT Id, IsActive FROM User WHERE Username = ${soqlString(username)}`),
      queryAll(connection, 'SELECT DefaultLocaleSidKey, LanguageLocaleKey, TimeZoneSidKey FROM Organization'),
      input.permissionSetNames?.length
        ? resolvePermissionSets(connection, input.permissionSetNames, '\nNo user was created.')
        : Promise.resolve([]),
    ]);
    if (taken.length) {
      throw new ToolError(
        `The username ${username} is already taken in this org (user ${String(taken[0]!.Id)}${taken[0]!.IsActive === true ? '' : ', inactive'}). No user was created.`,
        'Usernames are unique across all Salesforce orgs: pass another username, e.g. with a suffix like .sandbox.',
      );
    }
    const profile = profiles[0];
    if (!profile) {
      const all = await queryAll(connection, 'SELECT Name FROM Profile ORDER BY Name LIMIT 50');
      throw new ToolError(
        `No profile is named "${input.profile}". No user was created.`,
        `Profiles: ${all.map((row) => String(row.Name)).join(', ')}`,
      );
    }
    const defaults = organization[0] ?? {};
    const record: Record<string, unknown> = {
      Username: username,
      LastName: input.lastName,
      Email: input.email,
      Alias: input.alias ?? defaultAlias(input.firstName, input.lastName),
      ProfileId: profile.Id,
      TimeZoneSidKey: input.timeZoneSidKey ?? defaults.TimeZoneSidKey ?? 'GMT',
      LocaleSidKey: input.localeSidKey ?? defaults.DefaultLocaleSidKey ?? 'en_US',
      LanguageLocaleKey: input.languageLocaleKey ?? defaults.LanguageLocaleKey ?? 'en_US',
      EmailEncodingKey: 'UTF-8',
      ...(input.firstName ? { FirstName: input.firstName } : {}),
      ...(input.title ? { Title: input.title } : {}),
    };
    const created = await salesforceCall(() => connection.sobject('User').create(record), {
      hints: HINTS,
      prefix: 'Salesforce refused the new user (no user was created)',
    });
    if (!created.success || !created.id) {
      throw new ToolError(
        `Salesforce refused the new user: ${JSON.stringify(created)}. No user was created.`,
      );
    }
    const userId = created.id;
    const saved = await collections(
      connection,
      'create',
      'PermissionSetAssignment',
      targets.map((target) => ({ AssigneeId: userId, [`${target.kind}Id`]: target.Id })),
    );
    const assigned: string[] = [];
    const failed: { permissionSet: string; error: string }[] = [];
    targets.forEach((target, index) => {
      const outcome = saved[index];
      if (outcome?.success) assigned.push(targetLabel(target));
      else {
        const error = saveError(outcome);
        failed.push({ permissionSet: targetLabel(target), error: `${error.code}: ${error.message}` });
      }
    });
    const lines = [
      `Created user ${username} (${userId}), profile ${String(profile.Name)}, alias ${String(record.Alias)}, ${String(record.LocaleSidKey)} / ${String(record.TimeZoneSidKey)}.`,
      ...(assigned.length ? [`Assigned: ${assigned.join(', ')}.`] : []),
      ...failed.map((failure) => `Not assigned ${failure.permissionSet}: ${failure.error}`),
    ];
    return toolResult({
      text: lines.join('\n'),
      structured: { org: org.username, userId, username, assigned, failed },
      org,
    });
  },
});
