import type { AnyTool } from '@sfmcp/plugin-api';

/** The data toolset's read-only tools, in the order the README lists them. */
export const readTools: AnyTool[] = [];
