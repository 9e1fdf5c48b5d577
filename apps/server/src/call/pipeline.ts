import {
  type CallToolRequest,
  type CallToolResult,
  ErrorCode,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import {
  type AnyTool,
  callChangesOrg,
  changesOrg,
  confirms,
  isToolError,
  toToolError,
} from '@sfmcp/plugin-api';
import type { RegisteredTool } from '../registry.js';
import type { Runtime } from '../runtime.js';
import type { AuditOutcome } from '../trust/audit-log.js';
import { redactArguments } from '../trust/redact-arguments.js';
import { CallMeter } from './meter.js';
import { digestArguments } from '../trust/digest.js';
import type { Call, SessionState } from './call.js';
import { type RequestExtra, buildContext } from './context.js';
import { declinedResult, previewResult, textResult } from './results.js';
import { ConfirmationPending, Declined } from './review.js';
import { formatZodIssues, validateInput } from './validate.js';

/**
 * A tools/call, stage by stage: find the tool → load it → validate the input → run it under the trust
 * policy (production guard, review step: in its context) → check the output → audit. A new rule is a
 * new stage here, not a condition inside a tool.
 */
export async function handleToolCall(
  runtime: Runtime,
  session: SessionState,
  enabled: ReadonlyMap<string, RegisteredTool>,
  request: CallToolRequest,
  extra: RequestExtra,
): Promise<CallToolResult> {
  const { entry, preset } = findTool(runtime, enabled, request.params.name);
  const loaded = await load(runtime, entry);
  if ('failed' in loaded) return loaded.failed;
  const { tool } = loaded;
  const sent = { ...(request.params.arguments ?? {}), ...preset } as Record<string, unknown>;
  // A policy may ask for review of a tool that takes no confirmationToken of its own: the token is the server's.
  const { confirmationToken: policyToken, ...withoutToken } = sent;
  const takesPolicyToken = !confirms(tool) && runtime.policy.mayReview(tool.name);
  const args = takesPolicyToken ? withoutToken : sent;
  const meter = new CallMeter();
  const call: Call = {
    runtime,
    session,
    tool,
    args,
    digest: digestArguments(tool.name, args),
    policy: { changesOrg: changesOrg(tool), audited: !tool.annotations.readOnlyHint },
    input: {},
    touched: [],
    observers: [meter],
    toolset: entry.toolset,
    admitted: new Set(),
    startedAt: Date.now(),
    meter,
  };
  if (takesPolicyToken && typeof policyToken === 'string') call.confirmationToken = policyToken;
  const validated = validateInput(tool, args);
  if (!validated.ok) return textResult(validated.message, true);
  call.input = validated.input;
  // A tool that changes an org only for some inputs (a GraphQL mutation) decides from the validated input.
  call.policy.changesOrg = await callChangesOrg(tool, validated.input);
  if (validated.confirmationToken) call.confirmationToken = validated.confirmationToken;
  if (validated.usernameOrAlias) call.usernameOrAlias = validated.usernameOrAlias;
  if (validated.directory !== undefined) {
    // Checked even for tools that take it only for @salesforce/mcp's sake: it must name a place in the project.
    try {
      runtime.projectAccess.contain(validated.directory);
    } catch (error) {
      return failure(runtime, tool, error).result;
    }
    call.directory = validated.directory;
  }

  let result: CallToolResult;
  let outcome: AuditOutcome;
  let message: string | undefined;
  try {
    const output = await run(call, extra);
    const checked = checkOutput(call.tool, output.structured);
    if (checked) {
      runtime.log.error(checked);
      return await audited(
        call,
        'error',
        'output did not match its schema',
        textResult(
          `${tool.name} failed: its result did not match its declared output (a bug in the tool).`,
          true,
        ),
      );
    }
    // The text first (what the model reads), then the tool's further parts, in MCP's own shapes.
    result = { content: [{ type: 'text', text: output.text }, ...(output.content ?? [])] };
    if (output.structured !== undefined)
      result.structuredContent = output.structured as Record<string, unknown>;
    outcome = 'ok';
  } catch (error) {
    ({ result, outcome, message } = failure(runtime, tool, error));
  } finally {
    forgetChanged(call);
  }
  return audited(call, outcome, message, result);
}

/** After a call that may have changed an org (it succeeded, or failed half-way), its describes are stale. */
function forgetChanged(call: Call): void {
  if (!call.policy.changesOrg) return;
  for (const handle of call.touched) call.runtime.orgAccess.forgetDescribes(handle.username);
}

/** The tool a name calls: a listed one, or the tool an alias (@salesforce/mcp's name) stands for, if enabled. */
function findTool(
  runtime: Runtime,
  enabled: ReadonlyMap<string, RegisteredTool>,
  name: string,
): { entry: RegisteredTool; preset?: Readonly<Record<string, unknown>> } {
  const entry = enabled.get(name);
  if (entry) return { entry };
  const alias = runtime.aliases.get(name);
  const target = alias && enabled.get(alias.tool);
  if (!target) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
  return { entry: target, ...(alias.arguments ? { preset: alias.arguments } : {}) };
}

/** A tool listed from a plugin manifest is imported on its first call. */
async function load(
  runtime: Runtime,
  entry: RegisteredTool,
): Promise<{ tool: AnyTool } | { failed: CallToolResult }> {
  try {
    return { tool: await entry.tool.load() };
  } catch (error) {
    runtime.log.error(`could not load ${entry.tool.name}`, error);
    return {
      failed: textResult(`${entry.tool.name} could not be loaded: ${(error as Error).message}`, true),
    };
  }
}

async function run(call: Call, extra: RequestExtra) {
  const ctx = buildContext(call, extra);
  return call.runtime.callScope(extra.signal, () => call.tool.handler(call.input, ctx), call.observers);
}

function checkOutput(tool: AnyTool, structured: unknown): string | undefined {
  if (!tool.output) return undefined;
  const checked = tool.output.safeParse(structured);
  return checked.success
    ? undefined
    : `${tool.name} returned structured content that does not match its output schema: ${formatZodIssues(checked.error)}`;
}

function failure(
  runtime: Runtime,
  tool: AnyTool,
  error: unknown,
): { result: CallToolResult; outcome: AuditOutcome; message?: string } {
  if (error instanceof ConfirmationPending) {
    return {
      result: previewResult(tool, error.request, error.token, error.expiresAt),
      outcome: 'awaiting-confirmation',
    };
  }
  if (error instanceof Declined) return { result: declinedResult(tool), outcome: 'declined' };
  // A Salesforce API error a tool let through is still the user's to act on: its code and message, no stack.
  const mapped = toToolError(error);
  if (isToolError(mapped)) {
    // An error quotes what it got (a query, a name): never pages of it.
    const text = redact(mapped.hint ? `${mapped.message}\n${mapped.hint}` : mapped.message, 2_000);
    return {
      result: textResult(text, true),
      outcome: mapped.kind === 'refused' ? 'refused' : 'error',
      message: mapped.message,
    };
  }
  const message = redact(mapped instanceof Error ? mapped.message : String(mapped));
  runtime.log.error(
    `${tool.name} failed`,
    mapped instanceof Error ? { message, stack: redact(mapped.stack ?? '', 20_000) } : message,
  );
  // Its first line: a parser's or a library's further lines (positions, a stack) are for the log.
  const said = message.split('\n')[0]?.trim() || 'an unexpected error (see the server log)';
  return { result: textResult(`${tool.name} failed: ${said}`, true), outcome: 'error', message };
}

/** An unexpected message reaches the model: never a token, never pages of it. */
export function redact(message: string, limit = 500): string {
  const cleaned = message
    .replace(/00D[a-zA-Z0-9]{12,15}![\w.]+/g, '[access token]')
    .replace(/(Bearer|OAuth)\s+[\w.!-]+/gi, '$1 [access token]');
  return cleaned.length > limit ? `${cleaned.slice(0, limit)}…` : cleaned;
}

/**
 * The audit stage: every call that reached an org, or may change an org or the project, is one JSON line:
 * who (client, session, user), what (tool, orgs, the arguments with secrets removed, their digest), how it
 * ended, how long it took and what it touched. Nothing in it is a token.
 */
async function audited(
  call: Call,
  outcome: AuditOutcome,
  message: string | undefined,
  result: CallToolResult,
): Promise<CallToolResult> {
  const { runtime, session } = call;
  if (!runtime.audit || (!call.policy.audited && !call.touched.length)) return result;
  const orgs = [...new Set(call.touched.map((handle) => handle.username))];
  const client = session.server.getClientVersion()?.name;
  const { read, written, components } = call.meter.counts;
  try {
    await runtime.audit.append({
      time: new Date().toISOString(),
      ...(client ? { client: client.slice(0, 100) } : {}),
      session: session.binding ?? session.id,
      tool: call.tool.name,
      orgs,
      ...(session.user ? { user: session.user } : orgs.length === 1 ? { user: orgs[0]! } : {}),
      arguments: redactArguments(call.args),
      argumentsDigest: call.digest,
      outcome,
      ...(message ? { message: redact(message) } : {}),
      durationMs: Date.now() - call.startedAt,
      records: { read, written },
      ...(components ? { components } : {}),
    });
  } catch (error) {
    runtime.log.error(`could not write the audit log ${runtime.audit.path}`, error);
  }
  return result;
}
