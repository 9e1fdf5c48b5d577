import { ToolError, defineTool, formatTable, pollUntilDone, toolResult, z } from '@sfmcp/plugin-api';
import { DevopsCenter, type RequestStatus, statusLabel } from '../lib/devops-center.js';
import { workItemName } from '../lib/inputs.js';

// DevopsRequestInfo.Status: IN_PROGRESS until the request ends in SUCCESS or ERROR.
const FINISHED = new Set(['SUCCESS', 'ERROR']);
const WAIT_MS = 10 * 60_000;

export const promoteDevopsCenterWorkItem = defineTool({
  name: 'promote_devops_center_work_item',
  title: 'Promote work items',
  description:
    'Promotes work items to the next pipeline stage (merge into its branch, deploy to its org) after the user approves, and follows the promotion to its end.',
  input: z.object({
    workItemNames: z.array(workItemName).min(1).max(100),
    isFullDeploy: z.boolean().optional().describe('Deploy the whole stage branch, not just these items'),
  }),
  output: z.object({
    org: z.string(),
    requestId: z.string(),
    status: z.string(),
    message: z.string().optional(),
    from: z.string(),
    to: z.string(),
    workItems: z.array(z.string()),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const center = await DevopsCenter.open(org);
    const items = await center.workItems(input.workItemNames);
    const first = items[0]!;
    const problems: string[] = [];
    for (const item of items) {
      if (!item.pipeline) problems.push(`${item.name}: its project has no pipeline`);
      else if (!item.nextStage)
        problems.push(`${item.name}: already at the last stage (${item.stage?.name})`);
      else if (item.pipeline.id !== first.pipeline?.id || item.stage?.id !== first.stage?.id)
        problems.push(`${item.name}: in ${item.stage?.name ?? 'development'}, not with ${first.name}`);
      else if (!item.stage && item.status !== 'READY_TO_PROMOTE')
        problems.push(`${item.name}: ${statusLabel(item.status)}, not Ready to Promote`);
    }
    if (problems.length > 0)
      throw new ToolError(
        `Nothing promoted:\n${problems.join('\n')}`,
        'Promote items of one stage together, each Ready to Promote.',
        {
          kind: 'refused',
        },
      );
    const from = first.stage?.name ?? 'development';
    const target = first.nextStage!;
    const table = formatTable(
      items.map((item) => ({ Name: item.name, Subject: item.subject ?? '', Branch: item.branch ?? '' })),
    );
    await ctx.confirm({
      summary: `Promote ${items.length} work item${items.length === 1 ? '' : 's'} from ${from} to ${target.name}${target.branch ? ` (branch ${target.branch})` : ''}${input.isFullDeploy ? ', full deploy' : ''}, in ${org.label}`,
      details: table,
    });
    const requestId = await center.promote(items, target, { isFullDeploy: input.isFullDeploy ?? false });
    const outcome = await pollUntilDone<RequestStatus>({
      ctx,
      waitMs: WAIT_MS,
      check: async () => {
        const status = await center.requestStatus(requestId);
        await ctx.progress(0, undefined, `Promotion ${status.status}`);
        return { done: FINISHED.has(status.status), status };
      },
    });
    const status = outcome.status ?? { requestId, status: 'IN_PROGRESS' };
    const failed = outcome.done && status.status !== 'SUCCESS';
    const next = !outcome.done
      ? `Still running: check_devops_center_commit_status with requestId ${requestId}.`
      : failed && /MERGE_CONFLICT|CONFLICTS:/i.test(status.message ?? '')
        ? 'Next: detect_devops_center_merge_conflict, then resolve_devops_center_merge_conflict.'
        : failed
          ? 'Next: resolve_devops_center_deployment_failure with these errors.'
          : '';
    const text = [
      `Promotion ${requestId} of ${items.map((item) => item.name).join(', ')} from ${from} to ${target.name}: ${status.status}.`,
      status.message ?? '',
      next,
    ]
      .filter(Boolean)
      .join('\n');
    return toolResult({
      text,
      structured: {
        org: org.username,
        requestId,
        status: status.status,
        ...(status.message ? { message: status.message } : {}),
        from,
        to: target.name,
        workItems: items.map((item) => item.name),
      },
      org,
    });
  },
});
