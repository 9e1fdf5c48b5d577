import type { AnyTool } from '@sfmcp/plugin-api';

/** The data toolset's tools that change records, in the order the README lists them. */
export const writeTools: AnyTool[] = [];
