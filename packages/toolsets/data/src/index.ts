import { apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { tools } from './tools/index.js';

export default definePlugin({
  toolset: 'data',
  description:
    'Read and change records safely: SOQL with paging, SOSL, describe, create/update/upsert/delete, CSV export.',
  apiVersion,
  tools,
});
