import type { AnyTool } from '@sfmcp/plugin-api';

/** The orgs toolset's tools, in the order the README lists them. */
export const orgTools: AnyTool[] = [];
