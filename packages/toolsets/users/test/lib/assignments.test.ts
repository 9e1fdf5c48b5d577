import { describe, expect, it } from 'vitest';
import { type AssignmentResult, countStatuses, countsText, resultsTable } from '../../src/lib/assignments.js';

const pair = (index: number, status: AssignmentResult['status']): AssignmentResult => ({
  user: `user${index}@example.com`,
  permissionSet: 'Sales_Operations',
  kind: 'PermissionSet',
  status,
  ...(status === 'failed'
    ? { error: 'FIELD_INTEGRITY_EXCEPTION: nope' }
    : { assignmentId: `0Pa00000000000${index}AAA` }),
});

describe('assignment results', () => {
  it('counts statuses in first-seen order', () => {
    const counts = countStatuses([pair(1, 'assigned'), pair(2, 'already assigned'), pair(3, 'assigned')]);
    expect(countsText(counts)).toBe('2 assigned, 1 already assigned');
  });

  it('shows every pair when it fits, else the failures first and says where the rest is', () => {
    const results = [pair(1, 'assigned'), pair(2, 'failed')];
    expect(resultsTable(results, 10_000)).toBe(
      'user | permissionSet | status | detail\n--- | --- | --- | ---\n' +
        'user1@example.com | Sales_Operations | assigned | 0Pa000000000001AAA\n' +
        'user2@example.com | Sales_Operations | failed | FIELD_INTEGRITY_EXCEPTION: nope',
    );
    const many = Array.from({ length: 300 }, (_, index) =>
      pair(index, index % 100 === 0 ? 'failed' : 'assigned'),
    );
    const cut = resultsTable(many, 2_000);
    expect(cut).toContain('user0@example.com | Sales_Operations | failed');
    expect(cut).not.toContain('| assigned |');
    expect(cut).toContain('This table shows 3 of 3 failures only');
    expect(resultsTable([pair(1, 'assigned'), pair(2, 'assigned')], 10)).toBe(
      'The per-pair table is too long for this answer: every pair, with its status, is in structuredContent.results.',
    );
  });
});
