import { apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { tools } from './tools/index.js';

export default definePlugin({
  toolset: 'lwc-experts',
  description:
    'Lightning Web Components with the real toolchain: scaffold, compile and lint, Jest tests, base components, SLDS, Aura to LWC; guides as resources.',
  apiVersion,
  tools,
});
