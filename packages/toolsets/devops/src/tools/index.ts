import type { AnyTool } from '@sfmcp/plugin-api';
import { checkDevopsCenterCommitStatus } from './check_devops_center_commit_status.js';
import { checkoutDevopsCenterWorkItem } from './checkout_devops_center_work_item.js';
import { commitDevopsCenterWorkItem } from './commit_devops_center_work_item.js';
import { createDevopsCenterPullRequest } from './create_devops_center_pull_request.js';
import { createDevopsCenterWorkItem } from './create_devops_center_work_item.js';
import { detectDevopsCenterMergeConflict } from './detect_devops_center_merge_conflict.js';
import { listDevopsCenterProjects } from './list_devops_center_projects.js';
import { listDevopsCenterWorkItems } from './list_devops_center_work_items.js';
import { promoteDevopsCenterWorkItem } from './promote_devops_center_work_item.js';
import { resolveDevopsCenterDeploymentFailure } from './resolve_devops_center_deployment_failure.js';
import { resolveDevopsCenterMergeConflict } from './resolve_devops_center_merge_conflict.js';
import { updateDevopsCenterWorkItemStatus } from './update_devops_center_work_item_status.js';

/** This toolset's tools, in the order the README lists them: a work item's way through the pipeline. */
export const tools: AnyTool[] = [
  listDevopsCenterProjects,
  listDevopsCenterWorkItems,
  createDevopsCenterWorkItem,
  updateDevopsCenterWorkItemStatus,
  checkoutDevopsCenterWorkItem,
  commitDevopsCenterWorkItem,
  checkDevopsCenterCommitStatus,
  createDevopsCenterPullRequest,
  detectDevopsCenterMergeConflict,
  resolveDevopsCenterMergeConflict,
  promoteDevopsCenterWorkItem,
  resolveDevopsCenterDeploymentFailure,
];
