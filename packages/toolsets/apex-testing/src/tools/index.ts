import type { AnyTool } from '@sfmcp/plugin-api';
import { runAgentTest } from './run_agent_test.js';
import { runApexTest } from './run_apex_test.js';

/** This toolset's tools, in the order the README lists them. */
export const tools: AnyTool[] = [runApexTest, runAgentTest] as unknown as AnyTool[];
