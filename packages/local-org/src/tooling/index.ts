// Placeholder until the Tooling API lands (owned by the tooling/ work); the names are the contract.
import { SalesforceApiError } from '../errors.js';
import type { RouteHandler } from '../http/types.js';
import type { Schema } from '../state/types.js';

/** Handles every request under `/services/data/vXX.X/tooling/`. */
export const handleTooling: RouteHandler = () => {
  throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
};

/** Adds the Tooling objects (ApexClass, ApexTrigger, ApexLog, test results...) to a new org's schema. */
export function registerToolingObjects(_schema: Schema): void {}
