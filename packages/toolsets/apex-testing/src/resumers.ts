import type { OperationResumer, ToolResult } from '@sfmcp/plugin-api';
import { reportAgentRun } from './lib/agent-runs.js';
import { reportApexRun } from './lib/apex-runs.js';

/** resume_tool_operation picks up Apex test runs (AsyncApexJob ids, 707) with failures and coverage. */
export const apexTestRunResumer: OperationResumer = {
  idPrefixes: ['707'],
  readOnly: true,
  operation: 'Apex test run',
  async resume(request, ctx) {
    const org = await ctx.org(request.usernameOrAlias);
    return (await reportApexRun(
      org,
      request.jobId,
      { codeCoverage: true, verbose: false, waitMs: request.wait * 60_000 },
      ctx,
    )) as ToolResult;
  },
};

/** resume_tool_operation picks up Agentforce Testing Center runs (4KB ids, as AgentTester names them). */
export const agentTestRunResumer: OperationResumer = {
  idPrefixes: ['4KB'],
  readOnly: true,
  operation: 'agent test run',
  async resume(request, ctx) {
    const org = await ctx.org(request.usernameOrAlias);
    return (await reportAgentRun(org, request.jobId, { waitMs: request.wait * 60_000 }, ctx)) as ToolResult;
  },
};

export const resumers: OperationResumer[] = [apexTestRunResumer, agentTestRunResumer];
