import { apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { tools } from './tools/index.js';

export default definePlugin({
  toolset: 'code-analysis',
  description:
    'Salesforce Code Analyzer on whole projects: PMD, CPD, ESLint with the LWC rules, regex, RetireJS, Graph Engine and Flow; rules, results and custom rules.',
  apiVersion,
  tools,
});
