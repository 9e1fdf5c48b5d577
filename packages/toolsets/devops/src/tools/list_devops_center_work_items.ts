import {
  LIMITS,
  cursorArgument,
  defineTool,
  formatTable,
  formatTableRow,
  pageWithinBudget,
  toolResult,
  z,
} from '@sfmcp/plugin-api';
import { DevopsCenter, statusLabel, statusValue } from '../lib/devops-center.js';
import { workItemOutput, workItemRow } from '../lib/format.js';
import { workItemSchema } from '../lib/schemas.js';

export const listDevopsCenterWorkItems = defineTool({
  name: 'list_devops_center_work_items',
  title: 'List DevOps Center work items',
  description:
    "Lists a project's work items: status, branch, the stage reached and the next one, assignee. Filter by status, assignee or stage.",
  input: z.object({
    project: z
      .object({ Id: z.string().min(15).max(LIMITS.id), Name: z.string().max(LIMITS.name).optional() })
      .describe('From list_devops_center_projects'),
    status: z.string().max(40).optional().describe('e.g. In Progress, Ready to Promote'),
    assignee: z.string().max(LIMITS.name).optional().describe('Text in the assignee’s name'),
    stage: z.string().max(LIMITS.name).optional().describe('Stage reached, or "development"'),
    cursor: cursorArgument,
  }),
  output: z.object({
    org: z.string(),
    workItems: z.array(workItemSchema),
    matched: z.number(),
    nextCursor: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(input, ctx) {
    const org = await ctx.org();
    const center = await DevopsCenter.open(org);
    const project = await center.project(input.project.Id);
    const status = input.status ? statusValue(input.status) : undefined;
    const assignee = input.assignee?.toLowerCase();
    const stage = input.stage?.toLowerCase();
    const items = (await center.listWorkItems(project.id)).filter(
      (item) =>
        (!status || item.status === status) &&
        (!assignee || (item.assignee ?? '').toLowerCase().includes(assignee)) &&
        (!stage || (item.stage?.name ?? 'development').toLowerCase() === stage),
    );
    const rows = items.map(workItemRow);
    const page = pageWithinBudget(ctx, rows, {
      cursor: input.cursor,
      binding: { org: org.username, listing: { project: project.id, status, assignee, stage } },
      sizeOf: (row) => formatTableRow(row, Object.keys(row)).length,
    });
    const filters = [status && statusLabel(status), input.assignee, input.stage].filter(Boolean).join(', ');
    const headline =
      items.length === 0
        ? `No work items in ${project.name}${filters ? ` match ${filters}` : ''}.`
        : `${items.length} work items in ${project.name}${filters ? ` (${filters})` : ''}; showing ${page.offset + 1}–${page.offset + page.items.length}.`;
    const text = [
      headline,
      page.items.length ? formatTable(page.items) : '',
      page.nextCursor ? 'More: call again with the cursor.' : '',
    ]
      .filter(Boolean)
      .join('\n');
    return toolResult({
      text,
      structured: {
        org: org.username,
        workItems: items.slice(page.offset, page.offset + page.items.length).map(workItemOutput),
        matched: items.length,
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      },
      org,
    });
  },
});
