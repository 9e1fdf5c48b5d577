import { ToolError, defineTool, toolResult, z, salesforceCall } from '@sfmcp/plugin-api';
import { filterLog, sliceLog } from '../lib/logs.js';
import { HINTS } from '../lib/hints.js';

const MAX_CODE_LENGTH = 100_000;

export const executeAnonymousApex = defineTool({
  name: 'execute_anonymous_apex',
  title: 'Execute anonymous Apex',
  description:
    'Runs a block of anonymous Apex in the org (after the user confirms: it can change anything) and returns compile errors with line and column, or the outcome and the debug log (USER_DEBUG and exceptions by default).',
  input: z.object({
    apexCode: z.string().min(1).max(MAX_CODE_LENGTH).describe('The anonymous Apex block'),
    logFilter: z
      .enum(['debug', 'all'])
      .default('debug')
      .describe('debug: USER_DEBUG and exception lines of the log; all: the whole log'),
    maxLogBytes: z
      .number()
      .int()
      .min(500)
      .max(200_000)
      .default(20_000)
      .describe('Cap on the log text returned'),
  }),
  output: z.object({
    compiled: z.boolean(),
    success: z.boolean(),
    exceptionMessage: z.string().optional(),
    exceptionStackTrace: z.string().optional(),
    log: z.string().optional(),
    logBytes: z.number().optional(),
    logTruncated: z.boolean().optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  release: 'preview',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const lines = input.apexCode.split(/\r?\n/).length;
    await ctx.confirm({
      summary: `Run ${lines} line${lines === 1 ? '' : 's'} of anonymous Apex in ${org.label} (it runs as ${org.username} and can change data)`,
      details: input.apexCode,
    });
    const { ExecuteService } = await import('@salesforce/apex-node');
    const service = new ExecuteService(org.connection);
    const response = await salesforceCall(() => service.executeAnonymous({ apexCode: input.apexCode }), {
      hints: HINTS,
    });
    const diagnostic = response.diagnostic?.[0];
    if (!response.compiled) {
      const line = Number(diagnostic?.lineNumber ?? -1);
      const column = Number(diagnostic?.columnNumber ?? -1);
      throw new ToolError(
        `Compile error at line ${line}, column ${column}: ${diagnostic?.compileProblem ?? 'unknown problem'} Nothing ran.`,
        'Fix the code and call again.',
      );
    }
    // An org that did not execute the block (the sfmcp local org, for a block its seed declares nothing
    // for) says so in the exception message: that is neither a success nor an exception the code threw.
    const exceptionMessage = diagnostic?.exceptionMessage;
    if (!response.success && exceptionMessage && /^Not executed\b/i.test(exceptionMessage)) {
      throw new ToolError(exceptionMessage, undefined, { code: 'NOT_EXECUTED' });
    }
    const filtered = response.logs ? filterLog(response.logs, input.logFilter) : undefined;
    const slice = filtered !== undefined ? sliceLog(filtered, 0, input.maxLogBytes) : undefined;
    const text: string[] = [];
    if (response.success) text.push('Executed successfully.');
    else {
      text.push(`Failed: ${diagnostic?.exceptionMessage ?? 'an exception was thrown'}`);
      if (diagnostic?.exceptionStackTrace) text.push(`Stack trace: ${diagnostic.exceptionStackTrace}`);
    }
    if (slice) {
      text.push(
        '',
        `Debug log (${input.logFilter === 'debug' ? 'USER_DEBUG and exceptions' : 'whole'}, ${slice.totalBytes} bytes):`,
        slice.text || '(no matching lines)',
      );
      if (slice.nextOffset !== undefined) {
        text.push(`[log cut at ${slice.nextOffset} of ${slice.totalBytes} bytes by maxLogBytes]`);
      }
    }
    return toolResult({
      text: text.join('\n'),
      structured: {
        compiled: true,
        success: response.success,
        ...(diagnostic?.exceptionMessage ? { exceptionMessage: diagnostic.exceptionMessage } : {}),
        ...(diagnostic?.exceptionStackTrace ? { exceptionStackTrace: diagnostic.exceptionStackTrace } : {}),
        ...(slice
          ? { log: slice.text, logBytes: slice.totalBytes, logTruncated: slice.nextOffset !== undefined }
          : {}),
      },
      org,
    });
  },
});
