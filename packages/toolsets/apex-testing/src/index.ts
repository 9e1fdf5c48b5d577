import { apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { resumers } from './resumers.js';
import { tools } from './tools/index.js';

export default definePlugin({
  toolset: 'apex-testing',
  description: 'Run Apex tests and agent tests, see coverage, run anonymous Apex, read debug logs.',
  apiVersion,
  tools,
  resumers,
});
