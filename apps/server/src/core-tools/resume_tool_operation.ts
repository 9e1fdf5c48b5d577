import { ToolError, defineTool, z } from '@sfmcp/plugin-api';
import type { Runtime } from '../runtime.js';

const input = z.object({
  jobId: z
    .string()
    .max(18)
    .regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/, 'is not a Salesforce job id (15 or 18 letters and digits)')
    .describe('Job id the tool returned, e.g. 0Af...'),
  wait: z.number().min(0).max(120).optional().default(30).describe('Minutes to wait for it to finish'),
  usernameOrAlias: z.string().max(255).optional().describe('default: the default org'),
  directory: z
    .string()
    .max(4096)
    .optional()
    .describe('DX project directory, for operations that write files'),
});

/**
 * Same name and arguments as @salesforce/mcp's; dispatches to the loaded toolsets by the job id's key prefix.
 * Resuming a retrieve writes files, so the tool is not read-only; a --read-only server gets a variant that
 * resumes only what declares itself read-only.
 */
export function resumeToolOperationTool(
  runtime: Pick<Runtime, 'resumers'>,
  { readOnly = false }: { readOnly?: boolean } = {},
) {
  return defineTool({
    name: 'resume_tool_operation',
    title: 'Resume a long-running operation',
    description:
      'Resumes a long-running operation another tool started and returned the job id of (a deploy, a retrieve, a test run).',
    input,
    annotations: {
      readOnlyHint: readOnly,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    },
    // It waits on operations already started; what it writes is local (a retrieve's files).
    changesOrg: false,
    release: 'ga',
    needsOrg: false,
    async handler(request, ctx) {
      const prefix = request.jobId.slice(0, 3);
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
          { kind: 'not-found' },
        );
      }
      if (readOnly && !resumer.readOnly) {
        throw new ToolError(
          `Refused: this server is read-only, and resuming a ${resumer.operation} writes files. Nothing was written.`,
          'Resume it with a server started without --read-only.',
          { kind: 'refused', code: 'READ_ONLY' },
        );
      }
      return resumer.resume(request, ctx);
    },
  });
}
