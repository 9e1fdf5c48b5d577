import type { AnyTool } from '@sfmcp/plugin-api';

/** This toolset's tools, in the order the README lists them. */
export const tools: AnyTool[] = [];
