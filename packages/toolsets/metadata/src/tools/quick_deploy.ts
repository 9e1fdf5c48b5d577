import { LIMITS, defineTool, z, salesforceCall } from '@sfmcp/plugin-api';
import { DEFAULT_WAIT_MINUTES, wait } from '../lib/args.js';
import { deployOutput, finishDeploy } from '../lib/deploy.js';
import { HINTS } from '../lib/hints.js';

export const quickDeploy = defineTool({
  name: 'quick_deploy',
  title: 'Quick deploy a validation',
  description:
    'Deploys a validation that succeeded (deploy_metadata with checkOnly), by its job id, without running the tests again.',
  input: z.object({
    jobId: z
      .string()
      .max(LIMITS.id)
      .regex(/^0Af[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/, 'a deploy job id starts with 0Af')
      .describe('Job id of the successful validation (0Af...).'),
    wait,
  }),
  output: deployOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const { MetadataApiDeploy } = await import('@salesforce/source-deploy-retrieve');
    const validation = new MetadataApiDeploy({ id: input.jobId, usernameOrConnection: org.connection });
    const id = await salesforceCall(() => validation.deployRecentValidation(), {
      hints: HINTS,
      wrapOthers: true,
    });
    await ctx.progress(0, undefined, `Quick deploy ${id} queued`);
    const operation = new MetadataApiDeploy({ id, usernameOrConnection: org.connection });
    return finishDeploy(ctx, org, undefined, { operation }, id, input.wait ?? DEFAULT_WAIT_MINUTES);
  },
});
