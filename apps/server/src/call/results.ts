import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ConfirmationRequest } from '@sfmcp/plugin-api';

export function textResult(text: string, isError = false): CallToolResult {
  return isError
    ? { content: [{ type: 'text', text }], isError: true }
    : { content: [{ type: 'text', text }] };
}

/** The preview, and the one-time token that approves it: not an error (nothing failed). */
export function previewResult(
  tool: { name: string; output?: unknown },
  request: ConfirmationRequest,
  token: string,
  expiresAt: Date,
): CallToolResult {
  const text = [
    'Confirmation needed — nothing has been changed yet.',
    request.summary,
    ...(request.details ? ['', request.details] : []),
    '',
    `Show this preview to the user. If they approve, call ${tool.name} again with the same arguments and confirmationToken: "${token}" (valid once, in this session, until ${expiresAt.toISOString()}).`,
  ].join('\n');
  return {
    content: [{ type: 'text', text }],
    ...(tool.output
      ? {
          structuredContent: {
            nothingChanged: true,
            confirmationToken: token,
            expiresAt: expiresAt.toISOString(),
            summary: request.summary,
          },
        }
      : {}),
  };
}

/** The user said no (through elicitation): nothing ran, which is not a failure of the tool either. */
export function declinedResult(tool: { output?: unknown }): CallToolResult {
  return {
    content: [{ type: 'text', text: 'Cancelled: the user did not approve. Nothing was changed.' }],
    ...(tool.output ? { structuredContent: { nothingChanged: true, declined: true } } : {}),
  };
}
