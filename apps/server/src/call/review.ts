import { type ConfirmationRequest, ToolError } from '@sfmcp/plugin-api';
import { acceptsConfirmationToken } from '../registry.js';
import type { RedeemOutcome } from '../trust/confirmations.js';
import type { Call } from './call.js';
import { ASK_CLIENT_TIMEOUT_MS } from './client-requests.js';
import type { RequestExtra } from './context.js';

/** The call is waiting for the user: the preview goes back with a one-time token. */
export class ConfirmationPending extends Error {
  constructor(
    readonly request: ConfirmationRequest,
    readonly token: string,
    readonly expiresAt: Date,
  ) {
    super('confirmation required');
  }
}

/** The user declined through elicitation. */
export class Declined extends Error {}

const REFUSALS: Record<Exclude<RedeemOutcome, 'ok'>, string> = {
  unknown: 'The confirmation token is unknown, has expired or was already used.',
  session: 'The confirmation token was issued in another session.',
  arguments: 'The confirmation token does not match these arguments.',
  orgs: 'The confirmation token was issued for another org: the org this call resolves to has changed since the preview.',
};

function usernames(call: Call): string[] {
  return [...new Set(call.touched.map((handle) => handle.username))];
}

/**
 * The review step (ctx.confirm). With elicitation the user is asked; otherwise the preview goes back with a
 * token bound to the tool, the exact arguments, the orgs resolved so far and the session (or, without
 * sessions, the principal); the token verifies on any instance sharing the secret and the one-time store.
 */
export async function reviewStep(
  call: Call,
  preview: ConfirmationRequest,
  extra?: Pick<RequestExtra, 'requestId' | 'signal'>,
): Promise<void> {
  const { tool, runtime, session } = call;
  // Approved already for exactly these arguments and these orgs (the policy's review came first): one question.
  const orgs = usernames(call);
  if (
    call.approvedOrgs &&
    orgs.every((org) => call.approvedOrgs!.some((approved) => approved.toLowerCase() === org.toLowerCase()))
  )
    return;
  // A policy's review takes the server's own token, whether or not the tool declares one.
  if (!acceptsConfirmationToken(tool) && !call.reviewedByPolicy) {
    // A client without elicitation could never approve: the tool must declare it (defineTool confirms).
    throw new Error(`${tool.name} asked for confirmation but does not declare confirms: true`);
  }
  // In stateless HTTP no initialize reached this request's Server, so it knows no client capabilities and
  // uses tokens: the answer to a question could reach another instance.
  if (session.server.getClientCapabilities()?.elicitation) {
    const answer = await session.server.elicitInput(
      {
        message: `${preview.summary}${preview.details ? `\n\n${preview.details}` : ''}\n\nProceed?`,
        requestedSchema: {
          type: 'object',
          properties: { confirm: { type: 'boolean', title: 'Proceed', description: preview.summary } },
          required: ['confirm'],
        },
      },
      // With the call: over HTTP the question goes on the call's own stream, and a cancelled call withdraws
      // it; a person decides, so it waits as long as any question to the client.
      extra
        ? { relatedRequestId: extra.requestId, signal: extra.signal, timeout: ASK_CLIENT_TIMEOUT_MS }
        : { timeout: ASK_CLIENT_TIMEOUT_MS },
    );
    if (answer.action === 'accept' && answer.content?.confirm === true) {
      call.approvedOrgs = usernames(call);
      return;
    }
    throw new Declined();
  }
  // The session id, or in stateless HTTP the authenticated principal (SessionState.binding).
  const binding = { digest: call.digest, orgs: usernames(call), session: session.binding ?? session.id };
  if (call.confirmationToken) {
    const outcome = await runtime.tokens.redeem(call.confirmationToken, binding);
    if (outcome === 'ok') {
      call.approvedOrgs = binding.orgs;
      return;
    }
    throw new ToolError(
      `Refused: ${REFUSALS[outcome]} Nothing was changed.`,
      'Call again without confirmationToken to get a fresh preview, and show it to the user.',
      { kind: 'refused', code: 'CONFIRMATION_REFUSED' },
    );
  }
  const issued = runtime.tokens.issue(binding);
  throw new ConfirmationPending(preview, issued.token, issued.expiresAt);
}
