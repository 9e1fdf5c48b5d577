import { z } from 'zod';

/** The org argument every org tool takes, named and worded as @salesforce/mcp's, so prompts carry over. */
export const orgArgument = z
  .string()
  .min(1)
  .optional()
  .describe('Org username or alias; default: the default org');

/** A DX project directory inside the server's project (ctx.project resolves and checks it). */
export const directoryArgument = z
  .string()
  .min(1)
  .optional()
  .describe('DX project directory; default: the server project');
