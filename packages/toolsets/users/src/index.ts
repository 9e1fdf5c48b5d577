import { apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { tools } from './tools/index.js';

export default definePlugin({
  toolset: 'users',
  description: 'Manage who can do what: users, permission sets and their assignments.',
  apiVersion,
  tools,
});
