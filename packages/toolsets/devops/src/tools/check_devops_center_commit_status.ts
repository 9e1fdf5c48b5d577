import { defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { DevopsCenter } from '../lib/devops-center.js';

export const checkDevopsCenterCommitStatus = defineTool({
  name: 'check_devops_center_commit_status',
  title: 'Check a DevOps Center request',
  description:
    'Status of a DevOps Center request by id: a registered commit, or a promotion (IN_PROGRESS, SUCCESS, or ERROR with its message).',
  input: z.object({
    requestId: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9-]+$/, 'a request id has letters, digits and dashes only')
      .describe('From commit_devops_center_work_item or promote_devops_center_work_item'),
  }),
  output: z.object({
    org: z.string(),
    requestId: z.string(),
    status: z.string(),
    message: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const center = await DevopsCenter.open(org);
    const request = await center.requestStatus(input.requestId);
    const text =
      request.status === 'NOT_FOUND'
        ? `No DevOps Center request ${input.requestId} in this org.`
        : `Request ${input.requestId}: ${request.status}${request.message ? `\n${request.message}` : ''}`;
    return toolResult({ text, structured: { org: org.username, ...request }, org });
  },
});
