import { defineTool, formatTable, toolResult, z } from '@sfmcp/plugin-api';
import { DevopsCenter } from '../lib/devops-center.js';

export const listDevopsCenterProjects = defineTool({
  name: 'list_devops_center_projects',
  title: 'List DevOps Center projects',
  description:
    'Lists the DevOps Center projects of the org, each with its pipeline stages and branches. Works with DevOps Center on the platform or as the managed package.',
  input: z.object({}),
  output: z.object({
    org: z.string(),
    model: z.string(),
    projects: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        description: z.string().optional(),
        pipeline: z.string().optional(),
        stages: z.array(z.object({ name: z.string(), branch: z.string().optional() })),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(_input, ctx) {
    const org = await ctx.org();
    const center = await DevopsCenter.open(org);
    const projects = await Promise.all(
      (await center.listProjects()).map(async (project) => {
        const pipeline = await center.pipeline(project.id);
        return {
          ...project,
          ...(pipeline ? { pipeline: pipeline.name } : {}),
          stages: (pipeline?.stages ?? []).map((stage) => ({
            name: stage.name,
            ...(stage.branch ? { branch: stage.branch } : {}),
          })),
        };
      }),
    );
    const rows = projects.map((project) => ({
      Id: project.id,
      Name: project.name,
      Pipeline: project.stages
        .map((stage) => `${stage.name}${stage.branch ? ` (${stage.branch})` : ''}`)
        .join(' → '),
      Description: project.description ?? '',
    }));
    const text =
      projects.length === 0
        ? 'No DevOps Center projects in this org.'
        : `${projects.length} DevOps Center project${projects.length === 1 ? '' : 's'}:\n${formatTable(rows)}`;
    return toolResult({ text, structured: { org: org.username, model: center.model, projects }, org });
  },
});
