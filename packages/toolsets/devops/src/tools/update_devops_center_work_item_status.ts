import { defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { DevopsCenter, statusLabel, statusValue } from '../lib/devops-center.js';
import { workItemOutput, workItemTable } from '../lib/format.js';
import { workItemName } from '../lib/inputs.js';
import { workItemSchema } from '../lib/schemas.js';

export const updateDevopsCenterWorkItemStatus = defineTool({
  name: 'update_devops_center_work_item_status',
  title: 'Set a work item’s status',
  description: 'Sets a work item to In Progress (DevOps Center then gives it a branch) or Ready to Promote.',
  input: z.object({ workItemName, status: z.enum(['In Progress', 'Ready to Promote']) }),
  output: z.object({ org: z.string(), previousStatus: z.string(), workItem: workItemSchema }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const center = await DevopsCenter.open(org);
    const before = await center.workItem(input.workItemName);
    const status = statusValue(input.status);
    const after = before.status === status ? before : await center.setStatus(before, status);
    const change =
      before.status === status
        ? `${after.name} is already ${input.status}; nothing changed.`
        : `${after.name}: ${statusLabel(before.status)} → ${statusLabel(after.status)}.`;
    const next =
      status === 'IN_PROGRESS'
        ? `Next: checkout_devops_center_work_item${after.branch ? ` (branch ${after.branch})` : ''}.`
        : 'Next: promote_devops_center_work_item.';
    return toolResult({
      text: `${change}\n${workItemTable([after])}\n${next}`,
      structured: { org: org.username, previousStatus: before.status, workItem: workItemOutput(after) },
      org,
    });
  },
});
