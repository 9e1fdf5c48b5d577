export { buildManifest, importPlugin, writePluginManifest } from './manifest.js';
export type { PluginManifest, PublishedTool } from '@sfmcp/plugin-api/manifest';
export { checkToolSnapshots, toolSnapshot, type ToolSnapshotOptions } from './toolsnaps.js';
export {
  checkReadmeToolTable,
  renderToolTable,
  TABLE_START,
  TABLE_END,
  type ReadmeTableOptions,
} from './readme-table.js';
