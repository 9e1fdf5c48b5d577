export { z } from 'zod';
export { apiVersion, isCompatibleApiVersion } from './version.js';
export { ToolError, DefinitionError } from './errors.js';
export { defineTool, changesOrg, confirms } from './tool.js';
export type {
  ToolDefinition,
  AnyTool,
  ToolAnnotations,
  ToolRelease,
  ToolResult,
  AnyObjectSchema,
} from './tool.js';
export { definePlugin } from './plugin.js';
export type { Plugin, PluginPrompt, PluginResource, OperationResumer, ResumeRequest } from './plugin.js';
export type {
  ToolContext,
  OrgHandle,
  OrgKind,
  AllowedOrgSummary,
  DxProject,
  ConfirmationRequest,
  ToolLogger,
} from './context.js';
export {
  toolResult,
  formatTable,
  formatTableRow,
  tableColumns,
  encodeCursor,
  decodeCursor,
  takeWithinBudget,
  DEFAULT_RESPONSE_BUDGET,
} from './results.js';
export type { BudgetedPage } from './results.js';
export {
  isSalesforceError,
  toToolError,
  salesforceCall,
  SALESFORCE_ERROR_HINTS,
  type SalesforceError,
} from './salesforce-errors.js';
export { orgArgument, directoryArgument } from './arguments.js';
