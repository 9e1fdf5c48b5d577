import { LIMITS, z } from '@sfmcp/plugin-api';

/** A work item's name as DevOps Center shows it (WI-000123). */
export const workItemName = z.string().trim().min(1).max(80).describe('Work item name, e.g. WI-000123');

/** A folder in the server's workspace holding (or to hold) a clone of the project's repository. */
export const repositoryPath = (description: string) =>
  z.string().min(1).max(LIMITS.path).describe(description);
