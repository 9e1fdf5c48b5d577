import { apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { prompts } from './prompts.js';
import { resourceTemplates, resources } from './resources.js';
import {
  testAudioContent,
  testEmbeddedResource,
  testErrorHandling,
  testImageContent,
  testMultipleContentTypes,
  testSimpleText,
} from './tools/content.js';
import {
  testElicitation,
  testElicitationDefaults,
  testElicitationEnums,
  testSampling,
} from './tools/client-requests.js';
import { jsonSchema202012Tool } from './tools/json-schema.js';
import { testReconnection, testToolWithLogging, testToolWithProgress } from './tools/notifications.js';

/**
 * The fixture the MCP conformance suite's server scenarios call: their tools, resources, template and prompts,
 * served by sfmcp's own server through the plugin contract. Not a toolset for users; never installed by sfmcp.
 */
export default definePlugin({
  toolset: 'conformance',
  description: "Fixtures for the MCP conformance suite's server scenarios (not for use with an org).",
  apiVersion,
  tools: [
    testSimpleText,
    testImageContent,
    testAudioContent,
    testEmbeddedResource,
    testMultipleContentTypes,
    testErrorHandling,
    testToolWithLogging,
    testToolWithProgress,
    testReconnection,
    testSampling,
    testElicitation,
    testElicitationDefaults,
    testElicitationEnums,
    jsonSchema202012Tool,
  ],
  prompts,
  resources,
  resourceTemplates,
});
