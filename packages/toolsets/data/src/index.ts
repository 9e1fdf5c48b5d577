import { apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { readTools } from './tools/read-tools.js';
import { writeTools } from './tools/write-tools.js';

export default definePlugin({
  toolset: 'data',
  description:
    'Read and change records safely: SOQL with paging, SOSL, describe, create/update/upsert/delete, CSV export.',
  apiVersion,
  tools: [...readTools, ...writeTools],
});
