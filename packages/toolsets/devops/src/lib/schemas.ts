import { z } from '@sfmcp/plugin-api';

export const workItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  subject: z.string().optional(),
  status: z.string(),
  branch: z.string().optional(),
  stage: z.string(),
  nextStage: z.string().optional(),
  targetBranch: z.string().optional(),
  assignee: z.string().optional(),
  projectId: z.string(),
});
