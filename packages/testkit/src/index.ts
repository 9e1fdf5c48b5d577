export { createTestServer, callTool, type TestServer, type TestServerOptions } from './in-memory.js';
export {
  spawnServer,
  spawnHttpServer,
  type SpawnedServer,
  type SpawnedHttpServer,
  type SpawnOptions,
} from './spawn.js';
export { authorizeOrgs, makeDxProject, type TestOrgAuth, type SfHomeOptions } from './sf-home.js';
export {
  createLocalOrgTestServer,
  ensureTemporaryHome,
  type LocalOrgTestOptions,
  type LocalOrgTestServer,
} from './local-org.js';
// Snapshot and README-table checks live in @sfmcp/plugin-dev (plugin-author tooling); re-exported for tests.
export {
  checkToolSnapshots,
  toolSnapshot,
  checkReadmeToolTable,
  renderToolTable,
  type ToolSnapshotOptions,
  type ReadmeTableOptions,
} from '@sfmcp/plugin-dev';
export { failIfHung } from './hang-guard.js';
export { filesUnder } from './files.js';
