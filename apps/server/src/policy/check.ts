import type { OrgKind } from '@sfmcp/plugin-api';
import { shortReason } from '@sfmcp/plugin-api';
import type { Runtime } from '../runtime.js';
import type { AppliedRule, PolicyEngine } from './engine.js';

const OPEN_ORG_MS = 20_000;

export interface PolicyCheckReport {
  text: string;
  exitCode: number;
}

async function kindOf(runtime: Runtime, username: string): Promise<{ kind: OrgKind; note?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const handle = await Promise.race([
      runtime.orgAccess.open(username),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${OPEN_ORG_MS / 1000} s`)), OPEN_ORG_MS);
      }),
    ]);
    return { kind: handle.kind };
  } catch (error) {
    // Its kind is not known: the policy treats it as production, as the production guard does.
    return { kind: 'production', note: `could not connect (${shortReason(error)}): treated as production` };
  } finally {
    clearTimeout(timer);
  }
}

function limitText(limit: { calls: number; perSeconds: number }): string {
  return `${limit.calls} calls per ${limit.perSeconds} s`;
}

function toolsLine(runtime: Runtime, engine: PolicyEngine, rule: AppliedRule): string {
  const tools = runtime.selected;
  const refused = tools.filter((entry) => engine.toolRefusal(rule, entry.tool.name, entry.toolset));
  if (!refused.length) return `all ${tools.length} loaded tools`;
  const allowed = tools.length - refused.length;
  const names = refused.map((entry) => entry.tool.name);
  return `${allowed} of ${tools.length} loaded tools; refused: ${names.slice(0, 12).join(', ')}${names.length > 12 ? `, and ${names.length - 12} more` : ''}`;
}

/** `sfmcp policy check`: what the flags and the policy allow on each allowed org, one block per org. */
export async function runPolicyCheck(runtime: Runtime): Promise<PolicyCheckReport> {
  const { options, policy } = runtime;
  const lines: string[] = [];
  lines.push(
    policy.file
      ? `Policy: ${policy.file}`
      : 'Policy: none (no --policy, and no sfmcp.policy.json in the project): the flags and the default limits apply.',
  );
  const flags = [
    options.readOnly ? '--read-only: only tools that change nothing are loaded' : undefined,
    options.allowProductionWrites
      ? '--allow-production-writes: production orgs may be changed where the policy allows'
      : 'production orgs are never changed (no --allow-production-writes)',
    options.toolsets === 'all' ? undefined : `--toolsets ${options.toolsets.join(',')}`,
  ].filter(Boolean);
  lines.push(`Flags: ${flags.join('; ')}`);
  const orgs = await runtime.orgAccess.list();
  if (!orgs.length) lines.push('', 'No org is allowed: pass --orgs (or --local-org).');
  for (const org of orgs) {
    const { kind, note } = await kindOf(runtime, org.username);
    const rule = policy.ruleFor({ username: org.username, ...(org.alias ? { alias: org.alias } : {}), kind });
    const { body } = rule;
    const name = org.alias ? `${org.alias} (${org.username})` : org.username;
    const limits = policy.limits(rule, '');
    const writes = options.readOnly
      ? 'refused (--read-only)'
      : kind === 'production' && !options.allowProductionWrites
        ? 'refused (production, no --allow-production-writes)'
        : body.writes === false
          ? 'refused ("writes": false)'
          : 'allowed';
    const review =
      body.review === undefined
        ? 'only what the tools ask for themselves'
        : body.review === 'all'
          ? 'every call'
          : body.review === 'writes'
            ? 'every call that changes the org'
            : body.review.join(', ');
    const perTool = Object.entries(body.rateLimits?.tools ?? {}).map(
      ([tool, limit]) => `${tool}: ${limitText(limit)}`,
    );
    const usage = runtime.apiUsage.usage(org.username);
    lines.push(
      '',
      `${name} — ${kind}${note ? ` (${note})` : ''}`,
      `  Rule:        ${rule.id === 'none' ? 'none (no policy)' : rule.label}`,
      `  Tools:       ${toolsLine(runtime, policy, rule)}`,
      `  Writes:      ${writes}`,
      `  Review:      ${review}`,
      `  Query rows:  ${body.maxQueryRows !== undefined ? `at most ${body.maxQueryRows} per call` : 'no limit'}`,
      ...(body.objects?.noRead?.length ? [`  Not read:    objects ${body.objects.noRead.join(', ')}`] : []),
      ...(body.fields?.noRead?.length ? [`  Not read:    fields ${body.fields.noRead.join(', ')}`] : []),
      ...(body.objects?.noWrite?.length ? [`  Not written: objects ${body.objects.noWrite.join(', ')}`] : []),
      ...(body.fields?.noWrite?.length ? [`  Not written: fields ${body.fields.noWrite.join(', ')}`] : []),
      `  Rate limits: ${limitText(limits.perOrg)} per org, ${limitText(limits.perTool)} per tool${perTool.length ? `; ${perTool.join('; ')}` : ''}`,
      `  API usage:   calls refused from ${Math.round(limits.apiUsageThreshold * 100)}% of the daily limit${usage ? ` (now ${usage.used} of ${usage.max})` : ''}`,
    );
  }
  const toolNames = new Set(
    [...runtime.registry.toolsets.values()].flatMap(({ plugin }) => plugin.tools.map((tool) => tool.name)),
  );
  const problems = policy.unknownNames(new Set(runtime.registry.toolsets.keys()), toolNames);
  if (problems.length) lines.push('', 'Warnings:', ...problems.map((problem) => `  ${problem}`));
  return { text: lines.join('\n'), exitCode: 0 };
}
