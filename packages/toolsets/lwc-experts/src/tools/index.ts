import type { AnyTool } from '@sfmcp/plugin-api';
import { createAuraBlueprintDraft } from './create_aura_blueprint_draft.js';
import { createLwcComponent } from './create_lwc_component.js';
import { createLwcJestTests } from './create_lwc_jest_tests.js';
import { enhanceAuraBlueprintDraft } from './enhance_aura_blueprint_draft.js';
import { exploreLbcComponents } from './explore_lbc_components.js';
import { exploreSldsBlueprints } from './explore_slds_blueprints.js';
import { exploreSldsStyling } from './explore_slds_styling.js';
import { fetchLdsGraphqlSchema } from './fetch_lds_graphql_schema.js';
import { getLwcGuide } from './get_lwc_guide.js';
import { orchestrateAuraMigration } from './orchestrate_aura_migration.js';
import { referenceLwcCompilationError } from './reference_lwc_compilation_error.js';
import { runLwcJestTests } from './run_lwc_jest_tests.js';
import { testLdsGraphqlQuery } from './test_lds_graphql_query.js';
import { transitionPrdToLwc } from './transition_prd_to_lwc.js';
import { validateLwcComponent } from './validate_lwc_component.js';

/** This toolset's tools, in the order the README lists them. */
export const tools: AnyTool[] = [
  createLwcComponent,
  validateLwcComponent,
  referenceLwcCompilationError,
  createLwcJestTests,
  runLwcJestTests,
  exploreLbcComponents,
  exploreSldsStyling,
  exploreSldsBlueprints,
  createAuraBlueprintDraft,
  enhanceAuraBlueprintDraft,
  transitionPrdToLwc,
  orchestrateAuraMigration,
  testLdsGraphqlQuery,
  fetchLdsGraphqlSchema,
  getLwcGuide,
];
