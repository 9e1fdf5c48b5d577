import type { DxProject } from './context.js';
import { isToolError } from './errors.js';

/**
 * The call's DX project, or undefined when there is none (for tools that also work without one: on files given
 * with the call, or on the working folder). Any other problem with the project (a path outside it) still throws.
 */
export async function projectIfAny(ctx: {
  project(directory?: string): Promise<DxProject>;
}): Promise<DxProject | undefined> {
  try {
    return await ctx.project();
  } catch (error) {
    if (isToolError(error) && error.kind === 'not-found') return undefined;
    throw error;
  }
}
