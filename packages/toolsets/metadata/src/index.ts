import { apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { resumers } from './resumers.js';
import { tools } from './tools/index.js';

export default definePlugin({
  toolset: 'metadata',
  description: 'Deploy, validate, retrieve and shape metadata between a DX project and an org.',
  apiVersion,
  tools,
  resumers,
});
