import { McpError } from '@modelcontextprotocol/sdk/types.js';
import {
  type ClientFeatures,
  type ElicitationAnswer,
  type ElicitationRequest,
  type ElicitedValue,
  type LogLevel,
  type SamplingContent,
  type SamplingRequest,
  type SamplingResult,
  ToolError,
} from '@sfmcp/plugin-api';
import type { Call } from './call.js';
import type { RequestExtra } from './context.js';

// What a tool asks of the client during its call: the client's model (sampling), its user (elicitation), and
// log messages for whoever watches the call. Each goes out with the call (relatedRequestId), so over Streamable
// HTTP it travels on the call's own response stream, as MCP asks.

/** A person fills in a form or approves a sampling request: far longer than a request's default minute. */
export const ASK_CLIENT_TIMEOUT_MS = 10 * 60_000;

const LOG_LEVELS: readonly LogLevel[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];

export function clientFeatures(call: Call): ClientFeatures {
  const capabilities = call.session.server.getClientCapabilities();
  return { sampling: Boolean(capabilities?.sampling), elicitation: Boolean(capabilities?.elicitation?.form) };
}

function clientRefused(what: string, error: unknown): ToolError {
  const reason = error instanceof McpError ? error.message.replace(/^MCP error -?\d+: /, '') : String(error);
  return new ToolError(`The client did not answer the ${what} request: ${reason}`, undefined, {
    kind: 'failed',
    code: 'CLIENT_REQUEST_FAILED',
  });
}

export async function createMessage(
  call: Call,
  extra: RequestExtra,
  request: SamplingRequest,
): Promise<SamplingResult> {
  if (!clientFeatures(call).sampling) {
    throw new ToolError(
      `${call.tool.name} needs to ask the client's model, and this client does not support sampling.`,
      'Use a client that supports MCP sampling.',
      { kind: 'failed', code: 'SAMPLING_UNSUPPORTED' },
    );
  }
  let result;
  try {
    result = await call.session.server.createMessage(
      {
        messages: request.messages.map(({ role, content }) => ({ role, content })),
        maxTokens: request.maxTokens,
        ...(request.systemPrompt !== undefined ? { systemPrompt: request.systemPrompt } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.stopSequences ? { stopSequences: [...request.stopSequences] } : {}),
        ...(request.modelPreferences
          ? {
              modelPreferences: {
                ...request.modelPreferences,
                hints: request.modelPreferences.hints ? [...request.modelPreferences.hints] : undefined,
              },
            }
          : {}),
      },
      { relatedRequestId: extra.requestId, signal: extra.signal, timeout: ASK_CLIENT_TIMEOUT_MS },
    );
  } catch (error) {
    if (extra.signal.aborted) throw error;
    throw clientRefused('sampling', error);
  }
  return {
    role: result.role,
    content: result.content as SamplingContent,
    model: result.model,
    ...(result.stopReason !== undefined ? { stopReason: result.stopReason } : {}),
  };
}

export async function elicit(
  call: Call,
  extra: RequestExtra,
  request: ElicitationRequest,
): Promise<ElicitationAnswer> {
  if (!clientFeatures(call).elicitation) {
    throw new ToolError(
      `${call.tool.name} needs to ask the user, and this client does not support elicitation (forms).`,
      'Use a client that supports MCP elicitation.',
      { kind: 'failed', code: 'ELICITATION_UNSUPPORTED' },
    );
  }
  let answer;
  try {
    answer = await call.session.server.elicitInput(
      {
        mode: 'form',
        message: request.message,
        requestedSchema: {
          type: 'object',
          // The field shapes are MCP's own (ElicitationField mirrors them); the SDK's type is narrower than
          // what it sends, e.g. on the deprecated enumNames.
          properties: request.fields as never,
          ...(request.required?.length ? { required: [...request.required] } : {}),
        },
      },
      { relatedRequestId: extra.requestId, signal: extra.signal, timeout: ASK_CLIENT_TIMEOUT_MS },
    );
  } catch (error) {
    if (extra.signal.aborted) throw error;
    throw clientRefused('elicitation', error);
  }
  if (answer.action === 'accept')
    return { action: 'accept', content: (answer.content ?? {}) as Record<string, ElicitedValue> };
  return { action: answer.action };
}

export async function logToClient(
  call: Call,
  extra: RequestExtra,
  level: LogLevel,
  message: string,
  data?: Readonly<Record<string, unknown>>,
): Promise<void> {
  const threshold = call.session.logLevel;
  if (threshold && LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(threshold)) return;
  if (extra.signal.aborted) return;
  await extra
    .sendNotification({
      method: 'notifications/message',
      params: { level, logger: call.tool.name, data: data === undefined ? message : { message, ...data } },
    })
    .catch(() => undefined); // a client that went away must not fail the work
}
