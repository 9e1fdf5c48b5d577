export { z } from 'zod';
export { apiVersion, isCompatibleApiVersion } from './version.js';
export { ToolError, DefinitionError, excerpt, isToolError } from './errors.js';
export type { ToolErrorKind, ToolErrorOptions } from './errors.js';
export { defineTool, changesOrg, callChangesOrg, confirms } from './tool.js';
export type {
  ToolDefinition,
  AnyTool,
  ToolAnnotations,
  ToolRelease,
  ToolResult,
  AnyObjectSchema,
  SchemaStyle,
} from './tool.js';
export { definePlugin } from './plugin.js';
export type {
  Plugin,
  PluginPrompt,
  PluginResource,
  PluginResourceTemplate,
  PromptMessage,
  Completer,
  OperationResumer,
  ResumeRequest,
  ToolAlias,
} from './plugin.js';
export type {
  ToolContext,
  OrgHandle,
  OrgKind,
  AllowedOrgSummary,
  DxProject,
  Workspace,
  ConfirmationRequest,
  ToolLogger,
  ProjectWriteOptions,
  ProjectFileWriter,
  DescribeSObjectResult,
  DescribeGlobalResult,
  DescribeField,
  LogLevel,
  ClientFeatures,
  SamplingMessage,
  SamplingRequest,
  SamplingResult,
  ElicitationField,
  ElicitationRequest,
  ElicitationAnswer,
  ElicitedValue,
  TitledChoice,
} from './context.js';
export { imageContent, audioContent, embeddedResource, resourceContents } from './content.js';
export type {
  ContentPart,
  TextPart,
  ImagePart,
  AudioPart,
  EmbeddedResourcePart,
  ResourceLinkPart,
  ResourceContents,
  SamplingContent,
} from './content.js';
export { toolResult, formatTable, formatTableRow, tableColumns, DEFAULT_RESPONSE_BUDGET } from './results.js';
export {
  takeWithinBudget,
  pageWithinBudget,
  budgetAfter,
  MAX_CURSOR_LENGTH,
  PAGE_RESERVE,
} from './paging.js';
export type { BudgetedPage, Cursors, CursorBinding, Page, PageRequest } from './paging.js';
export {
  isSalesforceError,
  toToolError,
  salesforceCall,
  salesforceError,
  SALESFORCE_ERROR_HINTS,
  type SalesforceError,
  type ErrorMapping,
} from './salesforce-errors.js';
export { orgArgument, directoryArgument, cursorArgument, LIMITS } from './arguments.js';
export { escapeSoql, soqlString, soqlList, soqlContains } from './soql.js';
export { pollUntilDone, cancelled, FIRST_POLL_MS, MAX_POLL_MS } from './polling.js';
export type { PollOutcome, PollOptions } from './polling.js';
export { COLLECTION_SIZE, sendCollection, saveError } from './collections.js';
export type { CollectionOperation, CollectionRequest, SaveResult } from './collections.js';
export { escapeXml } from './xml.js';
export { projectIfAny } from './project.js';
export {
  classifyConnectionError,
  connectionHint,
  shortReason,
  type ConnectionStatus,
} from './connection-status.js';
