import { executeAnonymousApex } from './execute_anonymous_apex.js';
import { getApexLogs } from './get_apex_logs.js';
import { getCodeCoverage } from './get_code_coverage.js';
import { listApexTests } from './list_apex_tests.js';
import { runAgentTest } from './run_agent_test.js';
import { runApexTest } from './run_apex_test.js';
import { setDebugLogging } from './set_debug_logging.js';

/** This toolset's tools, in the order the README lists them. */
export const tools = [
  runApexTest,
  listApexTests,
  getCodeCoverage,
  executeAnonymousApex,
  getApexLogs,
  setDebugLogging,
  runAgentTest,
];
