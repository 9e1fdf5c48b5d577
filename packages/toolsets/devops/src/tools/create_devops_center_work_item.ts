import { LIMITS, defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { DevopsCenter } from '../lib/devops-center.js';
import { workItemOutput, workItemTable } from '../lib/format.js';
import { workItemSchema } from '../lib/schemas.js';

export const createDevopsCenterWorkItem = defineTool({
  name: 'create_devops_center_work_item',
  title: 'Create a DevOps Center work item',
  description: 'Creates a work item (status New) in a DevOps Center project.',
  input: z.object({
    projectId: z.string().min(15).max(LIMITS.id).describe('From list_devops_center_projects'),
    subject: z.string().trim().min(1).max(255),
    description: z.string().max(LIMITS.text).optional(),
  }),
  output: z.object({ org: z.string(), workItem: workItemSchema }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const center = await DevopsCenter.open(org);
    const project = await center.project(input.projectId);
    const item = await center.createWorkItem(project.id, input.subject, input.description);
    return toolResult({
      text: `Created ${item.name} in ${project.name}.\n${workItemTable([item])}\nNext: update_devops_center_work_item_status to In Progress creates its branch.`,
      structured: { org: org.username, workItem: workItemOutput(item) },
      org,
    });
  },
});
