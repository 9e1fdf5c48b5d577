import { describe, expect, it } from 'vitest';
import { demoSeed, generateVolume } from '../src/seed/index.js';
import { createOrgState, OPPORTUNITY_STAGES } from '../src/state/index.js';

const today = new Date('2026-06-01T12:00:00Z');

describe('demoSeed', () => {
  const org = createOrgState(demoSeed({ today }), { now: () => today });
  const rows = (name: string) => [...org.records.rows(name)];

  it('loads a plausible company', () => {
    expect(org.records.get(org.orgId)?.Name).toBe('Harbor Lane Outfitters');
    expect(org.username).toBe('admin@harborlane.sfmcp.test');
    expect(rows('Account').length).toBeGreaterThanOrEqual(20);
    expect(rows('Contact').length).toBeGreaterThanOrEqual(50);
    expect(rows('Case').length).toBeGreaterThan(10);
    expect(rows('Lead').length).toBeGreaterThan(10);
    expect(rows('Task').length).toBeGreaterThan(10);
    expect(rows('User').some((user) => user.LastName === "O'Brien")).toBe(true);
    expect(rows('Profile').map((profile) => profile.Name)).toEqual(
      expect.arrayContaining(['System Administrator', 'Standard User']),
    );
    expect(rows('PermissionSetAssignment').length).toBeGreaterThan(3);
    const admin = org.records.get(org.userId);
    expect(org.records.get(String(admin?.UserRoleId))?.Name).toBe('CEO');
  });

  it('has opportunities in every stage, closed ones in the past and open ones ahead', () => {
    const opportunities = rows('Opportunity');
    expect(new Set(opportunities.map((row) => row.StageName))).toEqual(
      new Set(OPPORTUNITY_STAGES.map((stage) => stage.name)),
    );
    for (const opportunity of opportunities) {
      if (opportunity.IsClosed) expect(String(opportunity.CloseDate) < '2026-06-01').toBe(true);
      else expect(String(opportunity.CloseDate) > '2026-06-01').toBe(true);
    }
  });

  it('is the same on every run', () => {
    const again = createOrgState(demoSeed({ today }), { now: () => today });
    const names = (state: typeof org) =>
      [...state.records.rows('Opportunity')].map((row) => `${String(row.Name)}:${String(row.Amount)}`);
    expect(names(again)).toEqual(names(org));
  });
});

describe('generateVolume', () => {
  it('adds 100,000 accounts', () => {
    const org = createOrgState(undefined, { now: () => today });
    const result = generateVolume('Account', 100_000, { org });
    expect(result.inserted).toBe(100_000);
    expect(org.records.get(String(result.lastId))?.Name).toMatch(/ 100000$/);
    let count = 0;
    for (const _ of org.records.rows('account')) count += 1;
    expect(count).toBe(100_000);
  });

  it('fills the required fields of other objects', () => {
    const org = createOrgState(undefined, { now: () => today });
    expect(generateVolume('Opportunity', 50, { org }).inserted).toBe(50);
    expect(generateVolume('Lead', 50, { org, fixed: { Industry: 'Banking' } }).inserted).toBe(50);
    expect([...org.records.rows('Lead')].every((lead) => lead.Industry === 'Banking')).toBe(true);
  });
});
