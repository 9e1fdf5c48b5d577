import { defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { DevopsCenter } from '../lib/devops-center.js';
import { workItemName } from '../lib/inputs.js';

export const createDevopsCenterPullRequest = defineTool({
  name: 'create_devops_center_pull_request',
  title: 'Open a pull request for a work item',
  description:
    "Opens the work item's review (pull request) from its branch into the next stage's branch; an open one is returned as is.",
  input: z.object({ workItemName }),
  output: z.object({
    org: z.string(),
    workItem: z.string(),
    url: z.string().optional(),
    number: z.number().optional(),
    sourceBranch: z.string().optional(),
    targetBranch: z.string().optional(),
    status: z.string().optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const center = await DevopsCenter.open(org);
    const item = await center.workItem(input.workItemName);
    const review = await center.createReview(item);
    const sourceBranch = review.sourceBranch ?? item.branch;
    const targetBranch = review.targetBranch ?? item.nextStage?.branch;
    const text = [
      `Pull request${review.number !== undefined ? ` #${review.number}` : ''} for ${item.name}: ${sourceBranch ?? '?'} → ${targetBranch ?? '?'}${review.status ? ` (${review.status})` : ''}.`,
      review.url ? `URL: ${review.url}` : '',
      'Next: once approved, set the work item Ready to Promote and promote it.',
    ]
      .filter(Boolean)
      .join('\n');
    return toolResult({
      text,
      structured: {
        org: org.username,
        workItem: item.name,
        ...(review.url ? { url: review.url } : {}),
        ...(typeof review.number === 'number' ? { number: review.number } : {}),
        ...(sourceBranch ? { sourceBranch } : {}),
        ...(targetBranch ? { targetBranch } : {}),
        ...(review.status ? { status: review.status } : {}),
      },
      org,
    });
  },
});
