import { apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { tools } from './tools/index.js';

export default definePlugin({
  toolset: 'orgs',
  description:
    'Know which org you are on: allowed orgs, org info and limits, the default org, opening an org.',
  apiVersion,
  tools,
});
