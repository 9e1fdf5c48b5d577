import { LIMITS, ToolError, cursorArgument, defineTool, z } from '@sfmcp/plugin-api';
import { AGENT_RUN_LISTING, agentRunOutput, reportAgentRun, startAgentRun } from '../lib/agent-runs.js';
import { isSalesforceId } from '../lib/ids.js';

export const runAgentTest = defineTool({
  name: 'run_agent_test',
  title: 'Run an Agentforce agent test',
  description:
    'Starts an Agentforce agent test (an AiEvaluationDefinition, Testing Center) and reports each test case: pass or fail, the topic and actions the agent chose, and the expectations that failed. async: true returns the run id (4KB...) at once. Only agent tests, not Apex tests.',
  input: z.object({
    agentApiName: z
      .string()
      .min(1)
      .max(LIMITS.name)
      .describe(
        'API name of the agent test (aiEvaluationDefinitions/<name>.aiEvaluationDefinition-meta.xml)',
      ),
    async: z.boolean().default(false).describe('true: start the test and return its run id at once'),
    wait: z
      .number()
      .min(0)
      .max(60)
      .default(10)
      .describe('Minutes to wait for the results before returning the run id to resume'),
    cursor: cursorArgument.describe('From a previous result, to see the rest of its test cases'),
  }),
  output: agentRunOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  takesDirectory: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    let cursor: { runId: string; offset: number } | undefined;
    if (input.cursor) {
      const decoded = ctx.cursors.open<{ runId?: unknown; offset?: unknown }>(input.cursor, {
        ...AGENT_RUN_LISTING,
        org: org.username,
      });
      if (
        typeof decoded.runId !== 'string' ||
        !isSalesforceId(decoded.runId) ||
        !Number.isSafeInteger(decoded.offset)
      ) {
        throw new ToolError('The cursor is not valid.', 'Pass the cursor exactly as the result gave it.');
      }
      cursor = { runId: decoded.runId, offset: decoded.offset as number };
    }
    if (cursor) return reportAgentRun(org, cursor.runId, { waitMs: 0, offset: cursor.offset }, ctx);
    await ctx.progress(0, 1, `Starting agent test ${input.agentApiName}`);
    const runId = await startAgentRun(org, input.agentApiName);
    // async: one status check; a run that finished at once is reported, else its id comes back to resume.
    if (input.async) return reportAgentRun(org, runId, { waitMs: 0 }, ctx);
    return reportAgentRun(org, runId, { waitMs: input.wait * 60_000, cancelOnAbort: true }, ctx);
  },
});
