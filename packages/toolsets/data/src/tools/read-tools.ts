import type { AnyTool } from '@sfmcp/plugin-api';
import { runSoqlQuery } from './run_soql_query.js';

/** The data toolset's read-only tools, in the order the README lists them. */
export const readTools: AnyTool[] = [runSoqlQuery] as AnyTool[];
