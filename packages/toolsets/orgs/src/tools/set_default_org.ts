import {
  type DxProject,
  LIMITS,
  ToolError,
  defineTool,
  toolResult,
  z,
  salesforceError,
} from '@sfmcp/plugin-api';

import { findAllowed, summaryLabel } from '../lib/orgs.js';

export const setDefaultOrg = defineTool({
  name: 'set_default_org',
  title: 'Set the default org',
  description:
    "Switches the session's default org among the allowed orgs; with scope project or global also saves it as the sf CLI's target-org. Never reaches an org outside the allowlist.",
  input: z.object({
    usernameOrAlias: z
      .string()
      .max(LIMITS.name)
      .optional()
      .describe('Allowed org to make the default; optional when only one org is allowed'),
    scope: z
      .enum(['session', 'project', 'global'])
      .optional()
      .default('session')
      .describe('session: this server only; project: <project>/.sf/config.json; global: ~/.sf/config.json'),
  }),
  output: z.object({
    username: z.string(),
    alias: z.string().optional(),
    scope: z.enum(['session', 'project', 'global']),
    previousDefault: z.string().optional(),
    configFile: z.string().optional(),
    savedValue: z.string().optional(),
  }),
  // It changes configuration (local files), never an org.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: true,
  takesDirectory: true,
  async handler({ usernameOrAlias, scope }, ctx) {
    const orgs = await ctx.listOrgs();
    let wanted = usernameOrAlias;
    if (!wanted) {
      if (orgs.length !== 1) {
        throw new ToolError(
          orgs.length
            ? `Several orgs are allowed: ${orgs.map(summaryLabel).join(', ')}.`
            : 'This server has no org access.',
          'Pass usernameOrAlias to say which org becomes the default.',
        );
      }
      wanted = (orgs[0]?.alias ?? orgs[0]?.username) as string;
    }
    // Everything that can be refused is checked before anything changes.
    let project: DxProject | undefined;
    if (scope === 'project') project = await ctx.project();
    const previous = orgs.find((org) => org.isDefault);

    const handle = await ctx.setDefaultOrg(wanted); // refuses orgs outside the allowlist
    const known = findAllowed(orgs, wanted);
    const savedValue =
      known && (wanted === known.alias || wanted.toLowerCase() === known.username.toLowerCase())
        ? wanted
        : (handle.alias ?? handle.username);

    let configFile: string | undefined;
    if (scope !== 'session') {
      try {
        const { Config } = await import('@salesforce/core');
        const config = await Config.create(
          scope === 'global' ? { isGlobal: true } : { isGlobal: false, rootFolder: project?.root as string },
        );
        config.set('target-org', savedValue);
        await config.write();
        configFile = config.getPath();
      } catch (error) {
        // Leave no partial change: the session goes back to its previous default.
        if (previous) await ctx.setDefaultOrg(previous.username).catch(() => undefined);
        throw salesforceError(error, {
          prefix: `Could not save target-org (${scope})`,
          hint: 'Nothing was saved. Check that the folder is writable.',
        });
      }
    }

    const lines = [
      `Default org for this session is now ${handle.label}${previous && previous.username.toLowerCase() !== handle.username.toLowerCase() ? ` (was ${summaryLabel(previous)})` : ''}.`,
    ];
    if (configFile) {
      lines.push(
        `Saved target-org=${savedValue} in ${configFile} (${scope}); the sf CLI uses it from now on.`,
        'This server’s allowlist stays as it was pinned at start: for --orgs DEFAULT_TARGET_ORG to follow the new target-org, restart the server.',
      );
    } else {
      lines.push(
        'Only this session changed; no sf config file was written (scope project or global saves it).',
      );
    }
    return toolResult({
      text: lines.join('\n'),
      structured: {
        username: handle.username,
        ...(handle.alias ? { alias: handle.alias } : {}),
        scope,
        ...(previous ? { previousDefault: previous.username } : {}),
        ...(configFile ? { configFile, savedValue } : {}),
      },
      org: handle,
    });
  },
});
