import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { type OrgHandle, type ToolContext, ToolError, DEFAULT_RESPONSE_BUDGET } from '@sfmcp/plugin-api';
import { runOutsideCall } from '../orgs/call-scope.js';
import type { Call } from './call.js';
import { clientFeatures, createMessage, elicit, logToClient } from './client-requests.js';
import { admitToOrg } from '../policy/stage.js';
import { oauthUser } from '../transports/oauth.js';
import { reviewStep } from './review.js';

export type RequestExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The production guard, and after an approval: the call may act only on the orgs the user approved. */
function guardOrg(call: Call, handle: OrgHandle): void {
  const { options } = call.runtime;
  if (call.policy.changesOrg && handle.kind === 'production' && !options.allowProductionWrites) {
    throw new ToolError(
      `Refused: ${handle.label} is a production org, and this server does not allow changes to production. Nothing was changed.`,
      'If the user wants this, they can restart the server with --allow-production-writes.',
      { kind: 'refused', code: 'PRODUCTION_READ_ONLY' },
    );
  }
  if (
    call.approvedOrgs &&
    !call.approvedOrgs.some((username) => username.toLowerCase() === handle.username.toLowerCase())
  ) {
    throw new ToolError(
      `Refused: the user approved this action for ${call.approvedOrgs.join(', ') || 'no org'}, not for ${handle.label}. Nothing more was changed.`,
      'Call again without confirmationToken to preview the action on the org it now resolves to.',
      { kind: 'refused', code: 'CONFIRMATION_REFUSED' },
    );
  }
}

/** All a handler may touch, for this call. */
export function buildContext(call: Call, extra: RequestExtra): ToolContext {
  const { runtime, session, tool } = call;
  const progressToken = extra._meta?.progressToken;
  // On a team server with OAuth, the signed-in user's own org is the only one (transports/oauth.ts).
  const user = runtime.options.oauthLoginUrl ? oauthUser(extra.authInfo) : undefined;
  const open = async (usernameOrAlias: string | undefined) => {
    if (!runtime.options.oauthLoginUrl) return runtime.orgAccess.open(usernameOrAlias);
    if (!user)
      throw new ToolError(
        'Refused: this server runs calls as a signed-in Salesforce user, and none is signed in.',
      );
    if (usernameOrAlias !== undefined && usernameOrAlias.toLowerCase() !== user.username.toLowerCase())
      throw new ToolError(
        `Refused: on this server each user works in their own org, signed in as ${user.username}; ${usernameOrAlias} is not it.`,
        'Leave out usernameOrAlias, or sign in as that user.',
        { kind: 'refused', code: 'ORG_NOT_ALLOWED' },
      );
    return runtime.orgAccess.openForUser(user);
  };
  return {
    org: async (usernameOrAlias) => {
      const handle = await open(usernameOrAlias ?? call.usernameOrAlias ?? session.defaultOrg);
      guardOrg(call, handle);
      call.touched.push(handle);
      await admitToOrg(call, handle, extra);
      return handle;
    },
    listOrgs: async () =>
      user
        ? [
            {
              username: user.username,
              instanceUrl: user.instanceUrl,
              orgId: user.orgId,
              isDefault: true,
              grantedBy: 'OAuth login',
            },
          ]
        : runtime.orgAccess.list(session.defaultOrg),
    setDefaultOrg: async (usernameOrAlias) => {
      const handle = await open(usernameOrAlias);
      call.touched.push(handle);
      session.defaultOrg = handle.username;
      return handle;
    },
    project: async (directory) => runtime.projectAccess.open(directory ?? call.directory),
    workspace: () => runtime.projectAccess.workspace(),
    progress: async (done, total, message) => {
      if (progressToken === undefined || extra.signal.aborted) return;
      await extra
        .sendNotification({
          method: 'notifications/progress',
          params: {
            progressToken,
            progress: done,
            ...(total !== undefined ? { total } : {}),
            ...(message ? { message } : {}),
          },
        })
        .catch(() => undefined); // a client that went away must not fail the work
    },
    signal: extra.signal,
    cleanup: (work) => runOutsideCall(work),
    log: runtime.log.child(tool.name),
    confirm: (preview) => reviewStep(call, preview, extra),
    responseBudget: DEFAULT_RESPONSE_BUDGET,
    cursors: runtime.cursors.forTool(tool.name),
    client: clientFeatures(call),
    createMessage: (request) => createMessage(call, extra, request),
    elicit: (request) => elicit(call, extra, request),
    logToClient: (level, message, data) => logToClient(call, extra, level, message, data),
    closeResponseStream: () => {
      // Offered by the Streamable HTTP transport only where the client can resume the stream (an event store,
      // protocol 2025-11-25 or later).
      if (!extra.closeSSEStream) return false;
      extra.closeSSEStream();
      return true;
    },
  };
}
