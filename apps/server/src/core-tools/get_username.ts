import { defineTool, toolResult, z } from '@sfmcp/plugin-api';
import type { Runtime } from '../runtime.js';
import { readAuthFiles, toUsername } from '../orgs/sf-state.js';

/** Same name and arguments as @salesforce/mcp's, answered from the allowlist pinned at start. */
export function getUsernameTool(runtime: Runtime) {
  return defineTool({
    name: 'get_username',
    title: 'Get username',
    description:
      'Which org to use: the allowed orgs, the default target org or the default Dev Hub. Call it when unsure which username or alias the user means.',
    input: z.object({
      defaultTargetOrg: z
        .boolean()
        .optional()
        .default(false)
        .describe('Only when the user asks for the default (target) org'),
      defaultDevHub: z
        .boolean()
        .optional()
        .default(false)
        .describe('Only when the user asks for the default Dev Hub'),
    }),
    output: z.object({
      username: z.string().optional(),
      alias: z.string().optional(),
      reasoning: z.string(),
      allowedOrgs: z.array(z.object({ username: z.string(), alias: z.string().optional() })),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    release: 'ga',
    needsOrg: false,
    // Accepted as @salesforce/mcp does; the server checks it stays in the project (org config is pinned at start).
    takesDirectory: true,
    async handler({ defaultTargetOrg, defaultDevHub }, ctx) {
      if (runtime.options.oauthLoginUrl) {
        // A team server with OAuth: the org is the signed-in user's own, whatever was asked.
        const [own] = await ctx.listOrgs();
        const reasoning = own
          ? 'on this server each user works in their own org, as the user who signed in'
          : 'no user is signed in';
        return toolResult({
          text: own ? `Use ${own.username}: ${reasoning}.` : `No org chosen: ${reasoning}.`,
          structured: {
            ...(own ? { username: own.username } : {}),
            reasoning,
            allowedOrgs: own ? [{ username: own.username }] : [],
          },
        });
      }
      const { allowlist, sfState } = runtime;
      const allowedOrgs = allowlist
        .list()
        .map(({ username, alias }) => (alias ? { username, alias } : { username }));
      let chosen: { username: string; alias?: string } | undefined;
      let reasoning: string;
      const pick = (value: string | undefined, what: string) => {
        if (!value) return `no ${what} is set`;
        try {
          chosen = allowlist.resolve(toUsername(sfState, value));
          return `it is the ${what}`;
        } catch {
          return `the ${what} (${value}) is not in this server's allowlist`;
        }
      };
      if (defaultDevHub) reasoning = pick(sfState.targetDevHub, 'default Dev Hub (target-dev-hub)');
      else if (defaultTargetOrg) reasoning = pick(sfState.targetOrg, 'default target org (target-org)');
      else if (allowedOrgs.length === 1 && !allowlist.allowAll) {
        chosen = allowlist.list()[0];
        reasoning = 'it is the only org this server may use';
      } else if (allowlist.defaultUsername) {
        reasoning = pick(allowlist.defaultUsername, 'default target org (target-org)');
      } else if (allowlist.isEmpty) {
        reasoning = 'this server has no org access (start it with --orgs or --local-org)';
      } else if (allowlist.allowAll && allowedOrgs.length === 0 && readAuthFiles(runtime.home).length === 0) {
        reasoning =
          'ALLOW_ALL_ORGS lets this server use every org the sf CLI is logged in to, and it is logged in to none: the user logs in with sf org login web --alias <alias>';
      } else {
        reasoning = `several orgs are allowed (${allowlist.describe()}): ask the user which one to use`;
      }
      const structured = {
        ...(chosen ? { username: chosen.username, ...(chosen.alias ? { alias: chosen.alias } : {}) } : {}),
        reasoning,
        allowedOrgs,
      };
      const text = chosen
        ? `Use ${chosen.alias ? `${chosen.alias} (${chosen.username})` : chosen.username}: ${reasoning}.`
        : `No org chosen: ${reasoning}.`;
      return toolResult({ text: `${text}\nAllowed: ${allowlist.describe()}`, structured });
    },
  });
}
