import { type OrgHandle, ToolError } from '@sfmcp/plugin-api';
import type { Call } from '../call/call.js';
import type { RequestExtra } from '../call/context.js';
import { reviewStep } from '../call/review.js';
import { redactArguments } from '../trust/redact-arguments.js';
import type { AppliedRule } from './engine.js';
import { PolicyRequestGuard } from './request-guard.js';

function refused(rule: AppliedRule, why: string, hint?: string): ToolError {
  return new ToolError(`Refused by ${rule.label}: ${why}. Nothing was changed.`, hint, {
    kind: 'refused',
    code: 'POLICY_REFUSED',
  });
}

/** Record id key prefixes of an org (from its cached describeGlobal), for deletes by id. */
async function keyPrefixes(handle: OrgHandle): Promise<Map<string, string>> {
  const global = await handle.describeGlobal();
  const prefixes = new Map<string, string>();
  for (const object of global.sobjects)
    if (object.keyPrefix) prefixes.set(object.keyPrefix, object.name.toLowerCase());
  return prefixes;
}

/**
 * The policy stage, run when a call first resolves an org (ctx.org): the rule for that org decides whether
 * the tool may run there, whether it may write, whether the org's API use or the rate limits leave room,
 * whether the user must approve it first, and which object, field and row rules its requests are held to.
 */
export async function admitToOrg(call: Call, handle: OrgHandle, extra: RequestExtra): Promise<void> {
  const key = handle.username.toLowerCase();
  if (call.admitted.has(key)) return;
  const { runtime, tool } = call;
  const engine = runtime.policy;
  const rule = engine.ruleFor(handle);
  const name = tool.name;
  const toolRefusal = engine.toolRefusal(rule, name, call.toolset);
  if (toolRefusal) throw refused(rule, `${toolRefusal}, so ${name} may not run on ${handle.label}`);
  if (call.policy.changesOrg && rule.body.writes === false)
    throw refused(rule, `"writes": false — ${name} changes the org, and ${handle.label} may not be changed`);

  const limits = engine.limits(rule, name);
  const usage = runtime.apiUsage.wouldExceed(handle.username, limits.apiUsageThreshold);
  if (usage)
    throw refused(
      rule.id === 'none' ? { ...rule, label: 'the API usage threshold' } : rule,
      `${handle.label} has used ${usage.used} of its ${usage.max} daily API requests (${Math.round((usage.used / usage.max) * 100)}%; the threshold is ${Math.round(usage.threshold * 100)}%)`,
      'Wait until the org\'s daily API use falls (it is counted over 24 hours), or raise "rateLimits.apiUsageThreshold" in the policy.',
    );
  const limited = runtime.rateLimits.take([
    { key: `org\u0000${key}`, rule: 'rateLimits.perOrg', limit: limits.perOrg },
    {
      key: `tool\u0000${key}\u0000${name}`,
      rule: rule.body.rateLimits?.tools?.[name] ? `rateLimits.tools.${name}` : 'rateLimits.perTool',
      limit: limits.perTool,
    },
  ]);
  if (limited)
    throw refused(
      rule.id === 'none' ? { ...rule, label: 'the default rate limits' } : rule,
      `"${limited.rule}" allows ${limited.limit.calls} calls per ${limited.limit.perSeconds} s on ${handle.label}, and they are used`,
      `Try again in ${limited.retryAfterSeconds} s.`,
    );
  call.admitted.add(key);

  const data = engine.dataRules(rule);
  const writesRefused = rule.body.writes === false;
  if (data || writesRefused || rule.body.maxQueryRows !== undefined) {
    const parser = data ? await import('@jetstreamapp/soql-parser-js') : undefined;
    call.observers.push(
      new PolicyRequestGuard({
        username: key,
        rule,
        writesRefused,
        ...(data ? { data } : {}),
        ...(parser ? { parser } : {}),
        ...(rule.body.maxQueryRows !== undefined ? { maxQueryRows: rule.body.maxQueryRows } : {}),
        ...(data?.noWriteObjects.size ? { keyPrefixes: await keyPrefixes(handle) } : {}),
      }),
    );
  }

  if (engine.needsReview(rule, name, call.policy.changesOrg) && !call.approvedOrgs) {
    call.reviewedByPolicy = true;
    const shown = JSON.stringify(redactArguments(call.input));
    await reviewStep(
      call,
      {
        summary: `${rule.label} asks the user to approve ${name} on ${handle.label}.`,
        details: `Arguments: ${shown.length > 1_500 ? `${shown.slice(0, 1_500)}…` : shown}`,
      },
      extra,
    );
  }
}
