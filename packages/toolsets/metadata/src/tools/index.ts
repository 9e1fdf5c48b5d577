import { cancelDeploy } from './cancel_deploy.js';
import { createCustomField } from './create_custom_field.js';
import { createCustomObject } from './create_custom_object.js';
import { deployMetadata } from './deploy_metadata.js';
import { generateManifest } from './generate_manifest.js';
import { listMetadataComponents } from './list_metadata_components.js';
import { listMetadataTypes } from './list_metadata_types.js';
import { quickDeploy } from './quick_deploy.js';
import { retrieveMetadata } from './retrieve_metadata.js';

/** This toolset's tools, in the order the README lists them. */
export const tools = [
  deployMetadata,
  quickDeploy,
  cancelDeploy,
  retrieveMetadata,
  listMetadataTypes,
  listMetadataComponents,
  generateManifest,
  createCustomObject,
  createCustomField,
];
