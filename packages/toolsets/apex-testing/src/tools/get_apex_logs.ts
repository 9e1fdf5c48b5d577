import {
  type OrgHandle,
  LIMITS,
  ToolError,
  defineTool,
  formatTable,
  toolResult,
  z,
  soqlString,
  salesforceCall,
  budgetAfter,
} from '@sfmcp/plugin-api';
import { filterLog, sliceLog } from '../lib/logs.js';
import { HINTS } from '../lib/hints.js';
import { isSalesforceId } from '../lib/ids.js';

interface LogRecord {
  Id: string;
  LogUser?: { Name?: string | null; Username?: string | null } | null;
  Operation: string | null;
  Status: string | null;
  LogLength: number | null;
  StartTime: string | null;
  DurationMilliseconds: number | null;
  Request: string | null;
}

const LOG_FIELDS =
  'Id, LogUser.Name, LogUser.Username, Operation, Status, LogLength, StartTime, DurationMilliseconds, Request';

const logSummary = z.object({
  id: z.string(),
  user: z.string(),
  operation: z.string(),
  status: z.string(),
  bytes: z.number(),
  startTime: z.string(),
  durationMs: z.number(),
});

function summary(record: LogRecord): z.infer<typeof logSummary> {
  return {
    id: record.Id,
    user: record.LogUser?.Username ?? record.LogUser?.Name ?? '',
    operation: record.Operation ?? '',
    status: record.Status ?? '',
    bytes: record.LogLength ?? 0,
    startTime: record.StartTime ?? '',
    durationMs: record.DurationMilliseconds ?? 0,
  };
}

/** The User id for a username (default: the user the org connection runs as). */
export async function userIdFor(
  org: OrgHandle,
  userName?: string,
): Promise<{ id: string; username: string }> {
  const username = userName ?? org.username;
  const result = await salesforceCall(
    async () =>
      org.connection.query<{ Id: string; Username: string }>(
        `SELECT Id, Username FROM User WHERE Username = ${soqlString(username)} LIMIT 1`,
      ),
    { hints: HINTS },
  );
  const user = result.records[0];
  if (!user)
    throw new ToolError(`No user with username ${username} in ${org.label}.`, 'Pass a username exactly.');
  return { id: user.Id, username: user.Username };
}

export const getApexLogs = defineTool({
  name: 'get_apex_logs',
  title: 'Get Apex debug logs',
  description:
    "Lists a user's recent Apex debug logs, or reads one (logId) with only USER_DEBUG and exception lines by default, within a size cap (offset continues). set_debug_logging turns logging on.",
  input: z.object({
    logId: z.string().max(LIMITS.id).optional().describe('Read this log (07L...); without it, list logs'),
    userName: z
      .string()
      .max(LIMITS.name)
      .optional()
      .describe("Whose logs to list (a username); default: the org's user"),
    limit: z.number().int().min(1).max(200).default(20).describe('How many recent logs to list'),
    filter: z
      .enum(['debug', 'all'])
      .default('debug')
      .describe('debug: USER_DEBUG and exception lines; all: every line'),
    maxBytes: z.number().int().min(500).max(200_000).default(20_000).describe('Cap on the log text returned'),
    offset: z.number().int().min(0).default(0).describe('Byte offset in the (filtered) log to read from'),
  }),
  output: z.object({
    logs: z.array(logSummary).optional(),
    log: logSummary.optional(),
    body: z.string().optional(),
    bodyBytes: z.number().optional(),
    nextOffset: z.number().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    if (input.logId !== undefined && !isSalesforceId(input.logId, '07L')) {
      throw new ToolError(`${JSON.stringify(input.logId)} is not a debug log id.`, 'Log ids start with 07L.');
    }
    const org = await ctx.org();

    if (!input.logId) {
      const user = await userIdFor(org, input.userName);
      const result = await salesforceCall(
        async () =>
          org.connection.tooling.query<LogRecord>(
            `SELECT ${LOG_FIELDS} FROM ApexLog WHERE LogUserId = ${soqlString(user.id)} ORDER BY StartTime DESC LIMIT ${input.limit}`,
          ),
        { hints: HINTS },
      );
      const logs = result.records.map(summary);
      const text = logs.length
        ? `${logs.length} most recent debug logs of ${user.username}:\n${formatTable(logs, ['id', 'startTime', 'operation', 'status', 'bytes', 'durationMs'])}\nRead one with logId.`
        : `No debug logs for ${user.username}. Turn logging on with set_debug_logging, then run the code again.`;
      return toolResult({ text, structured: { logs }, org });
    }

    const found = await salesforceCall(
      async () =>
        org.connection.tooling.query<LogRecord>(
          `SELECT ${LOG_FIELDS} FROM ApexLog WHERE Id = ${soqlString(input.logId as string)}`,
        ),
      { hints: HINTS },
    );
    const record = found.records[0];
    if (!record) {
      throw new ToolError(
        `No debug log ${input.logId} in ${org.label}.`,
        'Logs are deleted after a while; list them again.',
      );
    }
    const version = org.connection.getApiVersion();
    const body = await salesforceCall(
      () =>
        org.connection.tooling.request<string>(
          `/services/data/v${version}/tooling/sobjects/ApexLog/${record.Id}/Body`,
        ),
      { hints: HINTS },
    );
    const filtered = filterLog(typeof body === 'string' ? body : JSON.stringify(body), input.filter);
    const slice = sliceLog(filtered, input.offset, Math.min(input.maxBytes, budgetAfter(ctx)));
    const log = summary(record);
    const lines = [
      `Debug log ${log.id}: ${log.operation} by ${log.user} at ${log.startTime}, ${log.status}, ${log.bytes} bytes.`,
      `${input.filter === 'debug' ? 'USER_DEBUG and exception lines' : 'Every line'}` +
        ` (bytes ${input.offset}-${input.offset + Buffer.byteLength(slice.text)} of ${slice.totalBytes}):`,
      slice.text || '(no matching lines)',
    ];
    if (slice.nextOffset !== undefined) {
      lines.push(`[more: call again with offset: ${slice.nextOffset}]`);
    }
    return toolResult({
      text: lines.join('\n'),
      structured: {
        log,
        body: slice.text,
        bodyBytes: slice.totalBytes,
        ...(slice.nextOffset !== undefined ? { nextOffset: slice.nextOffset } : {}),
      },
      org,
    });
  },
});
