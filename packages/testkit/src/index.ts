export { createTestServer, callTool, type TestServer, type TestServerOptions } from './in-memory.js';
export {
  spawnServer,
  spawnHttpServer,
  type SpawnedServer,
  type SpawnedHttpServer,
  type SpawnOptions,
} from './spawn.js';
export { authorizeOrgs, makeDxProject, type TestOrgAuth, type SfHomeOptions } from './sf-home.js';
export { checkToolSnapshots, type ToolSnapshotOptions } from './toolsnaps.js';
export { checkReadmeToolTable, renderToolTable, type ReadmeTableOptions } from './readme-table.js';
export { toolSnapshot } from './toolsnaps.js';
export {
  createLocalOrgTestServer,
  ensureTemporaryHome,
  type LocalOrgTestOptions,
  type LocalOrgTestServer,
} from './local-org.js';
