import { apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { tools } from './tools/index.js';

export default definePlugin({
  toolset: 'devops',
  description:
    'DevOps Center: work items, pipelines, promotions, and the git work around them, done by the tools.',
  apiVersion,
  tools,
});
