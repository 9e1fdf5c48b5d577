export { runCli, type RunOptions } from './main.js';
export { parseCli, UsageError, USAGE, type ServerOptions, type CliCommand } from './cli.js';
export { createRuntime, SERVER_VERSION, type Runtime, type RuntimeInputs } from './runtime.js';
export { createSession } from './session.js';
export { screenedTransport } from './transports/screen.js';
export type { HttpServerHandle } from './transports/http.js';
export { discoverPlugins, formatPluginReports, type PluginReport } from './discovery.js';
export {
  checkRegistry,
  publishTool,
  selectTools,
  buildRegistry,
  DESCRIPTION_BUDGET,
  type RegisteredTool,
} from './registry.js';
export { classifyOrg } from './orgs/kind.js';
export { startLocalOrgForServer } from './local-org.js';
export { getUsernameTool } from './core-tools/get_username.js';
export { createDynamicTools } from './core-tools/dynamic.js';
export { resumeToolOperationTool } from './core-tools/resume_tool_operation.js';
// Reading manifests only: writing them, tool snapshots and README tables are in @sfmcp/plugin-dev.
export { readManifest, type PluginManifest } from './manifest.js';
export { listTool, listPlugin, type ToolListing, type PluginListing } from './listing.js';
