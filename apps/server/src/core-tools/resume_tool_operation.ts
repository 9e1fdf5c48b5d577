import { ToolError, defineTool, z } from '@sfmcp/plugin-api';
import type { Runtime } from '../runtime.js';

/** Same name and arguments as @salesforce/mcp's; dispatches to the loaded toolsets by the job id's key prefix. */
export function resumeToolOperationTool(runtime: Pick<Runtime, 'resumers'>) {
  return defineTool({
    name: 'resume_tool_operation',
    title: 'Resume a long-running operation',
    description:
      'Resumes a long-running operation another tool started and returned the job id of (a deploy, a retrieve, a test run).',
    input: z.object({
      jobId: z.string().describe('Job id the tool returned, e.g. 0Af...'),
      wait: z.number().min(0).max(120).optional().default(30).describe('Minutes to wait for it to finish'),
      usernameOrAlias: z.string().optional().describe('Org username or alias; default: the default org'),
      directory: z.string().optional().describe('DX project directory, for operations that write files'),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    release: 'ga',
    needsOrg: false,
    async handler(input, ctx) {
      if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(input.jobId)) {
        throw new ToolError(
          `${JSON.stringify(input.jobId)} is not a Salesforce job id (15 or 18 letters and digits).`,
        );
      }
      const prefix = input.jobId.slice(0, 3);
      const resumer = runtime.resumers.find((candidate) => candidate.idPrefixes.includes(prefix));
      if (!resumer) {
        const known = runtime.resumers.map(
          (candidate) => `${candidate.idPrefixes.join('/')} (${candidate.operation})`,
        );
        throw new ToolError(
          `No loaded toolset can resume jobs with id prefix ${prefix}.`,
          known.length
            ? `It can resume: ${known.join(', ')}.`
            : 'No loaded toolset has operations to resume.',
        );
      }
      return resumer.resume(input, ctx);
    },
  });
}
