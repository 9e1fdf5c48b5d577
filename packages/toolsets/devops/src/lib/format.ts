import { formatTable } from '@sfmcp/plugin-api';
import { type WorkItem, statusLabel } from './devops-center.js';

/** A work item as a result row: what a developer asks about it first. */
export function workItemRow(item: WorkItem): Record<string, string> {
  return {
    Name: item.name,
    Subject: item.subject ?? '',
    Status: statusLabel(item.status),
    Branch: item.branch ?? '',
    Stage: item.stage?.name ?? 'development',
    Next: item.nextStage
      ? `${item.nextStage.name}${item.nextStage.branch ? ` (${item.nextStage.branch})` : ''}`
      : '',
    Assignee: item.assignee ?? '',
  };
}

export function workItemTable(items: readonly WorkItem[]): string {
  return formatTable(items.map(workItemRow));
}

/** The structured form results carry. */
export function workItemOutput(item: WorkItem) {
  return {
    id: item.id,
    name: item.name,
    ...(item.subject ? { subject: item.subject } : {}),
    status: item.status,
    ...(item.branch ? { branch: item.branch } : {}),
    stage: item.stage?.name ?? 'development',
    ...(item.nextStage ? { nextStage: item.nextStage.name } : {}),
    ...(item.nextStage?.branch ? { targetBranch: item.nextStage.branch } : {}),
    ...(item.assignee ? { assignee: item.assignee } : {}),
    projectId: item.projectId,
  };
}
