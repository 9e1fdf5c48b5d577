import { z } from 'zod';
import { MAX_CURSOR_LENGTH } from './paging.js';

/** The org argument every org tool takes, named and worded as @salesforce/mcp's, so prompts carry over. */
export const orgArgument = z.string().min(1).max(255).optional().describe('default: the default org');

/** A DX project directory inside the server's project (ctx.project resolves and checks it). */
export const directoryArgument = z
  .string()
  .min(1)
  .max(4096)
  .optional()
  .describe("DX project; default: the server's");

/** Salesforce's own limits, for bounding every string argument's schema (a 1 MB name fails in microseconds). */
export const LIMITS = {
  /** API names, usernames, aliases, labels. */
  name: 255,
  /** A Salesforce id. */
  id: 18,
  /** A SOQL or SOSL statement (Salesforce: 100,000 characters). */
  query: 100_000,
  /** A path in the project. */
  path: 4096,
  /** Free text: descriptions, messages, search terms. */
  text: 32_000,
  /** Source code passed in an argument (anonymous Apex, a component's file). */
  source: 1_000_000,
  /** Entries in a list argument. */
  items: 10_000,
} as const;

/** The continuation cursor every paging tool takes (sealed by the server; see pageWithinBudget). */
export const cursorArgument = z.string().max(MAX_CURSOR_LENGTH).optional().describe('from the last result');
