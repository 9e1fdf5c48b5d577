export type {
  LocalOrgSeed,
  SeedCustomField,
  SeedCustomObject,
  SeedOrganization,
  SeedRecord,
  SeedDevops,
  SeedDevopsCommit,
  SeedDevopsProject,
  SeedDevopsRepository,
  SeedDevopsWorkItem,
  SeedWorkItemStatus,
} from './types.js';
export { demoSeed, type DemoSeedOptions } from './demo.js';
export { generateVolume, type VolumeOptions, type VolumeResult } from './volume.js';
