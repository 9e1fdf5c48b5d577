/**
 * Reviews (pull requests) of work item branches. Salesforce keeps these at the source control
 * provider; the local org has no provider, so it keeps them itself, in the org state (persisted with
 * a data dir), and serves each at its own URL.
 */
import { randomUUID } from 'node:crypto';
import type { LocalOrgState } from '../state/index.js';

export interface Review {
  id: string;
  /** Per repository, from 1, as a provider numbers pull requests. */
  number: number;
  title: string;
  repository: string;
  workItemId: string;
  sourceBranch: string;
  targetBranch: string;
  /** OPEN until a promotion merges the work item into the target branch (MERGED). */
  status: 'OPEN' | 'MERGED';
  createdDate: string;
}

const KEY = 'devops.reviews';

function all(org: LocalOrgState): Review[] {
  const stored = org.extensions.get(KEY);
  if (Array.isArray(stored)) return stored as Review[];
  const fresh: Review[] = [];
  org.extensions.set(KEY, fresh);
  return fresh;
}

export function findReview(org: LocalOrgState, id: string): Review | undefined {
  return all(org).find((review) => review.id === id);
}

export function openReview(org: LocalOrgState, workItemId: string, targetBranch: string): Review | undefined {
  return all(org).find(
    (review) =>
      review.workItemId === workItemId && review.targetBranch === targetBranch && review.status === 'OPEN',
  );
}

export function addReview(
  org: LocalOrgState,
  values: Pick<Review, 'title' | 'repository' | 'workItemId' | 'sourceBranch' | 'targetBranch'>,
): Review {
  const reviews = all(org);
  const number = reviews.filter((review) => review.repository === values.repository).length + 1;
  const review: Review = {
    id: randomUUID(),
    number,
    ...values,
    status: 'OPEN',
    createdDate: org.now().toISOString(),
  };
  reviews.push(review);
  return review;
}

/** A promotion merged these work items into `targetBranch`: their open reviews there are merged. */
export function markMerged(org: LocalOrgState, workItemIds: string[], targetBranch: string): void {
  for (const review of all(org))
    if (
      review.status === 'OPEN' &&
      review.targetBranch === targetBranch &&
      workItemIds.includes(review.workItemId)
    )
      review.status = 'MERGED';
}
