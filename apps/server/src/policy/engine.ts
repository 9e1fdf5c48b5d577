import type { OrgKind } from '@sfmcp/plugin-api';
import { basename } from 'node:path';
import type { LoadedPolicy } from './load.js';
import type { PolicyRuleBody, RateLimit } from './schema.js';

/** The org a rule is chosen for. */
export interface PolicyOrg {
  username: string;
  alias?: string;
  kind: OrgKind;
}

/** The rule that applies to an org, and how refusals name it. */
export interface AppliedRule {
  /** `orgs[1]`, `default`, or `none` when no policy rule applies. */
  id: string;
  /** `policy rule orgs[1] "production" (sfmcp.policy.json:14)`. */
  label: string;
  body: PolicyRuleBody;
}

/** Generous limits that are on without a policy: a runaway loop stops, a person never notices. */
export const DEFAULT_LIMITS = {
  perOrg: { calls: 600, perSeconds: 60 },
  perTool: { calls: 120, perSeconds: 60 },
  apiUsageThreshold: 0.9,
} as const;

function globMatches(pattern: string, value: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i').test(value);
}

function anyOf<T>(value: T | T[] | undefined, test: (item: T) => boolean): boolean {
  if (value === undefined) return true;
  return (Array.isArray(value) ? value : [value]).some(test);
}

function lower(values: readonly string[] | undefined): Set<string> {
  return new Set((values ?? []).map((value) => value.toLowerCase()));
}

/** The object and field rules, by lower-case API name, for the request guard. */
export interface DataRules {
  noReadObjects: Set<string>;
  noWriteObjects: Set<string>;
  /** Object → fields. */
  noReadFields: Map<string, Set<string>>;
  noWriteFields: Map<string, Set<string>>;
  /** Lower-case name → as the policy spells it (`contact.phone` → `Contact.Phone`), for refusals. */
  spelled: Map<string, string>;
}

function fieldMap(values: readonly string[] | undefined): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const value of values ?? []) {
    const [object, ...rest] = value.toLowerCase().split('.');
    if (!object || !rest.length) continue;
    const fields = map.get(object) ?? new Set<string>();
    fields.add(rest.join('.'));
    map.set(object, fields);
  }
  return map;
}

/**
 * The policy: which rule applies to an org (the first entry of `orgs` whose match fits, else `default`),
 * and what it says. The command-line flags stay in force beside it (--read-only, the production guard):
 * a policy narrows what the flags allow, it never widens it.
 */
export class PolicyEngine {
  constructor(readonly loaded: LoadedPolicy | undefined) {}

  get file(): string | undefined {
    return this.loaded?.path;
  }

  ruleFor(org: PolicyOrg): AppliedRule {
    const policy = this.loaded?.policy;
    if (!policy) return { id: 'none', label: 'the default limits', body: {} };
    const file = basename(this.loaded!.path);
    const index = (policy.orgs ?? []).findIndex(
      ({ match }) =>
        anyOf(match.kind, (kind) => kind === org.kind) &&
        anyOf(match.username, (pattern) => globMatches(pattern, org.username)) &&
        anyOf(match.alias, (pattern) => org.alias !== undefined && globMatches(pattern, org.alias)),
    );
    const id = index >= 0 ? `orgs[${index}]` : 'default';
    const body = index >= 0 ? policy.orgs![index]! : (policy.default ?? {});
    const line = this.loaded!.lines.get(id);
    const label = `policy rule ${id}${body.name ? ` "${body.name}"` : ''} (${file}${line ? `:${line}` : ''})`;
    if (index < 0 && !policy.default)
      return { id: 'default', label: `the policy ${file} (no rule matches this org)`, body: {} };
    return { id, label, body };
  }

  /** Why the rule refuses `tool` (of `toolset`) on its orgs, or undefined when it allows it. */
  toolRefusal(rule: AppliedRule, tool: string, toolset: string): string | undefined {
    const { body } = rule;
    if (toolset === 'core') return undefined;
    if (body.tools?.deny?.includes(tool)) return `"tools.deny" lists ${tool}`;
    if (body.toolsets && !body.toolsets.includes(toolset) && !body.tools?.allow?.includes(tool))
      return `"toolsets" allows ${body.toolsets.join(', ') || 'no toolset'}, not ${toolset}`;
    return undefined;
  }

  needsReview(rule: AppliedRule, tool: string, changesOrg: boolean): boolean {
    const review = rule.body.review;
    if (review === undefined) return false;
    if (review === 'all') return true;
    if (review === 'writes') return changesOrg;
    return review.includes(tool);
  }

  /** Whether any rule may ask for review of this tool (its confirmationToken is then taken even if undeclared). */
  mayReview(tool: string): boolean {
    const policy = this.loaded?.policy;
    if (!policy) return false;
    return [...(policy.orgs ?? []), ...(policy.default ? [policy.default] : [])].some(
      ({ review }) =>
        review === 'all' || review === 'writes' || (Array.isArray(review) && review.includes(tool)),
    );
  }

  limits(
    rule: AppliedRule,
    tool: string,
  ): { perOrg: RateLimit; perTool: RateLimit; apiUsageThreshold: number } {
    const limits = rule.body.rateLimits;
    return {
      perOrg: limits?.perOrg ?? DEFAULT_LIMITS.perOrg,
      perTool: limits?.tools?.[tool] ?? limits?.perTool ?? DEFAULT_LIMITS.perTool,
      apiUsageThreshold: limits?.apiUsageThreshold ?? DEFAULT_LIMITS.apiUsageThreshold,
    };
  }

  /** The rule's object and field restrictions, or undefined when it has none. */
  dataRules(rule: AppliedRule): DataRules | undefined {
    const { objects, fields } = rule.body;
    const rules: DataRules = {
      noReadObjects: lower(objects?.noRead),
      noWriteObjects: lower(objects?.noWrite),
      noReadFields: fieldMap(fields?.noRead),
      noWriteFields: fieldMap(fields?.noWrite),
      spelled: new Map(
        [
          ...(objects?.noRead ?? []),
          ...(objects?.noWrite ?? []),
          ...(fields?.noRead ?? []),
          ...(fields?.noWrite ?? []),
        ].map((name) => [name.toLowerCase(), name]),
      ),
    };
    const empty =
      !rules.noReadObjects.size &&
      !rules.noWriteObjects.size &&
      !rules.noReadFields.size &&
      !rules.noWriteFields.size;
    return empty ? undefined : rules;
  }

  /** Tool and toolset names the policy names that are not installed (a typo, or a plugin not loaded). */
  unknownNames(toolsets: ReadonlySet<string>, tools: ReadonlySet<string>): string[] {
    const policy = this.loaded?.policy;
    if (!policy) return [];
    const problems: string[] = [];
    const rules = [
      ...(policy.orgs ?? []).map((rule, index) => [`orgs[${index}]`, rule] as const),
      ...(policy.default ? [['default', policy.default] as const] : []),
    ];
    for (const [id, rule] of rules) {
      for (const toolset of rule.toolsets ?? [])
        if (!toolsets.has(toolset)) problems.push(`${id}.toolsets: no toolset ${toolset} is installed`);
      const named = [
        ...(rule.tools?.allow ?? []),
        ...(rule.tools?.deny ?? []),
        ...(Array.isArray(rule.review) ? rule.review : []),
        ...Object.keys(rule.rateLimits?.tools ?? {}),
      ];
      for (const tool of named) if (!tools.has(tool)) problems.push(`${id}: no tool ${tool} is installed`);
    }
    return problems;
  }
}
