import { LIMITS, ToolError, defineTool, toolResult, z, soqlString, salesforceCall } from '@sfmcp/plugin-api';
import { userIdFor } from './get_apex_logs.js';
import { HINTS } from '../lib/hints.js';

const LEVELS = ['ERROR', 'WARN', 'INFO', 'DEBUG', 'FINE', 'FINER', 'FINEST'] as const;

/** Salesforce refuses trace flags longer than a day. */
const MAX_MINUTES = 24 * 60;

export const setDebugLogging = defineTool({
  name: 'set_debug_logging',
  title: 'Turn on Apex debug logging',
  description:
    'Turns on debug logs for a user for a limited time (a USER_DEBUG TraceFlag with an SFMCP_<level> DebugLevel, created or reused); minutes: 0 turns it off. Read the logs with get_apex_logs.',
  input: z.object({
    userName: z
      .string()
      .max(LIMITS.name)
      .optional()
      .describe("Whose code to log (a username); default: the org's user"),
    minutes: z
      .number()
      .int()
      .min(0)
      .max(MAX_MINUTES)
      .default(30)
      .describe('How long to log; 0 turns logging off'),
    level: z.enum(LEVELS).default('FINEST').describe('Apex code log level'),
  }),
  output: z.object({
    traceFlagId: z.string().optional(),
    userName: z.string(),
    debugLevel: z.string().optional(),
    expiresAt: z.string().optional(),
    created: z.boolean(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const user = await userIdFor(org, input.userName);
    const tooling = org.connection.tooling;
    const existing = await salesforceCall(
      async () =>
        tooling.query<{ Id: string; ExpirationDate: string | null }>(
          `SELECT Id, ExpirationDate FROM TraceFlag WHERE TracedEntityId = ${soqlString(user.id)} AND LogType = 'USER_DEBUG'`,
        ),
      { hints: HINTS },
    );
    const flag = existing.records[0];
    const now = new Date();

    if (input.minutes === 0) {
      if (!flag) {
        return toolResult({
          text: `Debug logging was not on for ${user.username}; nothing changed.`,
          structured: { userName: user.username, created: false },
          org,
        });
      }
      await salesforceCall(
        () => tooling.sobject('TraceFlag').update({ Id: flag.Id, ExpirationDate: now.toISOString() }),
        { hints: HINTS },
      );
      return toolResult({
        text: `Debug logging for ${user.username} is off (trace flag ${flag.Id} expired now).`,
        structured: {
          traceFlagId: flag.Id,
          userName: user.username,
          expiresAt: now.toISOString(),
          created: false,
        },
        org,
      });
    }

    const developerName = `SFMCP_${input.level}`;
    const levels = await salesforceCall(
      async () =>
        tooling.query<{ Id: string }>(
          `SELECT Id FROM DebugLevel WHERE DeveloperName = ${soqlString(developerName)}`,
        ),
      { hints: HINTS },
    );
    let debugLevelId = levels.records[0]?.Id;
    if (!debugLevelId) {
      const created = await salesforceCall(
        () =>
          tooling.sobject('DebugLevel').create({
            DeveloperName: developerName,
            MasterLabel: developerName,
            ApexCode: input.level,
            ApexProfiling: 'INFO',
            Callout: 'INFO',
            Database: 'INFO',
            System: 'DEBUG',
            Validation: 'INFO',
            Visualforce: 'INFO',
            Workflow: 'INFO',
          }),
        { hints: HINTS },
      );
      if (!created.success || !created.id)
        throw new ToolError(`Could not create the debug level ${developerName}.`);
      debugLevelId = created.id;
    }
    const expiresAt = new Date(now.getTime() + input.minutes * 60_000).toISOString();
    let traceFlagId: string;
    if (flag) {
      await salesforceCall(
        () =>
          tooling.sobject('TraceFlag').update({
            Id: flag.Id,
            DebugLevelId: debugLevelId,
            StartDate: now.toISOString(),
            ExpirationDate: expiresAt,
          }),
        { hints: HINTS },
      );
      traceFlagId = flag.Id;
    } else {
      const created = await salesforceCall(
        () =>
          tooling.sobject('TraceFlag').create({
            TracedEntityId: user.id,
            DebugLevelId: debugLevelId,
            LogType: 'USER_DEBUG',
            StartDate: now.toISOString(),
            ExpirationDate: expiresAt,
          }),
        { hints: HINTS },
      );
      if (!created.success || !created.id) throw new ToolError('Could not create the trace flag.');
      traceFlagId = created.id;
    }
    return toolResult({
      text:
        `Debug logging is on for ${user.username} until ${expiresAt} (Apex code at ${input.level}; ` +
        `trace flag ${traceFlagId} ${flag ? 'updated' : 'created'}). Run the code, then read the logs with get_apex_logs.`,
      structured: {
        traceFlagId,
        userName: user.username,
        debugLevel: developerName,
        expiresAt,
        created: !flag,
      },
      org,
    });
  },
});
