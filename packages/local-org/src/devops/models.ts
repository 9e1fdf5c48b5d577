/** The model adapter for an org's DevOps Center objects. */
import type { LocalOrgState } from '../state/index.js';
import { managedPackageModel } from './managed-model.js';
import type { DevopsModel } from './model.js';
import { devopsModelOf, type DevopsModelKind } from './objects.js';
import { platformModel } from './platform-model.js';

export function modelFor(org: LocalOrgState, kind: DevopsModelKind): DevopsModel {
  return kind === 'platform' ? platformModel(org) : managedPackageModel(org);
}

/** The adapter for the model the org's schema has, or undefined in an org without DevOps Center. */
export function orgDevopsModel(org: LocalOrgState): DevopsModel | undefined {
  const kind = devopsModelOf(org.schema);
  return kind ? modelFor(org, kind) : undefined;
}
