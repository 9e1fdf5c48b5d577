import { LIMITS, defineTool, toolResult, z, salesforceCall } from '@sfmcp/plugin-api';

import { HINTS } from '../lib/hints.js';

export const cancelDeploy = defineTool({
  name: 'cancel_deploy',
  title: 'Cancel a deploy',
  description: 'Cancels a deploy that is still queued or running, by its job id (0Af...).',
  input: z.object({
    jobId: z
      .string()
      .max(LIMITS.id)
      .regex(/^0Af[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/, 'a deploy job id starts with 0Af')
      .describe('Deploy job id (0Af...).'),
  }),
  output: z.object({ jobId: z.string(), status: z.string(), canceled: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const { MetadataApiDeploy } = await import('@salesforce/source-deploy-retrieve');
    const operation = new MetadataApiDeploy({ id: input.jobId, usernameOrConnection: org.connection });
    await salesforceCall(() => operation.cancel(), { hints: HINTS, wrapOthers: true });
    const status = await salesforceCall(() => org.connection.metadata.checkDeployStatus(input.jobId, false), {
      hints: HINTS,
      wrapOthers: true,
    });
    const state = String(status.status);
    const canceled = state === 'Canceled' || state === 'Canceling';
    const text = canceled
      ? `Deploy ${input.jobId}: ${state}. Nothing from it was saved.`
      : `Deploy ${input.jobId} could not be cancelled: it already finished (${state}).`;
    return toolResult({ text, structured: { jobId: input.jobId, status: state, canceled }, org });
  },
});
