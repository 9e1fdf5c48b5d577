/**
 * A minimal Bayeux (CometD) endpoint at `/cometd/XX.X`, enough for @salesforce/apex-node's
 * StreamingClient: `reportAsyncResults` always handshakes before it reads a run's results.
 * Test runs here finish before their id is returned, so there are never TestResult events to
 * push: a connect is answered at once with `reconnect: none` (the client stops polling instead
 * of spinning), and a subscription is accepted only for `/systemTopic/TestResult`.
 */
import { randomBytes } from 'node:crypto';
import type { RouteHandler } from '../http/types.js';
import type { OrgState } from '../state/types.js';

const TEST_RESULT_CHANNEL = '/systemTopic/TestResult';
const clients = new WeakMap<OrgState, Set<string>>();

function clientsOf(org: OrgState): Set<string> {
  let set = clients.get(org);
  if (!set) {
    set = new Set();
    clients.set(org, set);
  }
  return set;
}

type Message = Record<string, unknown>;

function reply(message: Message, fields: Message): Message {
  return { channel: message.channel, ...(message.id !== undefined ? { id: message.id } : {}), ...fields };
}

function answer(org: OrgState, message: Message): Message {
  const channel = String(message.channel ?? '');
  const known = clientsOf(org);
  if (channel === '/meta/handshake') {
    const clientId = randomBytes(12).toString('base64url');
    known.add(clientId);
    return reply(message, {
      version: '1.0',
      minimumVersion: '1.0',
      supportedConnectionTypes: ['long-polling'],
      clientId,
      successful: true,
      advice: { reconnect: 'retry', interval: 0, timeout: 110000 },
    });
  }
  const clientId = String(message.clientId ?? '');
  if (!known.has(clientId)) {
    return reply(message, {
      clientId,
      successful: false,
      error: '403::Unknown client',
      advice: { reconnect: 'handshake', interval: 0 },
    });
  }
  switch (channel) {
    case '/meta/connect':
      return reply(message, { clientId, successful: true, advice: { reconnect: 'none', interval: 0 } });
    case '/meta/subscribe': {
      const subscription = String(message.subscription ?? '');
      if (subscription !== TEST_RESULT_CHANNEL) {
        return reply(message, {
          clientId,
          subscription,
          successful: false,
          error: `400::The channel you requested to subscribe to does not exist {${subscription}}`,
        });
      }
      return reply(message, { clientId, subscription, successful: true });
    }
    case '/meta/unsubscribe':
      return reply(message, { clientId, subscription: message.subscription, successful: true });
    case '/meta/disconnect':
      known.delete(clientId);
      return reply(message, { clientId, successful: true });
    default:
      return reply(message, {
        clientId,
        successful: false,
        error: `403::Publishing to ${channel} is not allowed`,
      });
  }
}

/** Handles `POST /cometd/XX.X` (Bayeux long-polling). */
export const handleCometd: RouteHandler = (request, org) => {
  let messages: unknown;
  try {
    messages = JSON.parse(request.body.toString('utf8') || 'null');
  } catch {
    messages = null;
  }
  const list = Array.isArray(messages)
    ? messages
    : messages && typeof messages === 'object'
      ? [messages]
      : [];
  if (request.method !== 'POST' || list.length === 0) {
    return {
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: [
        {
          channel: '/meta/unknown',
          successful: false,
          error: '400::A Bayeux request is a POST of a JSON array of messages',
        },
      ],
    };
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: list.map((message) => answer(org, (message ?? {}) as Message)),
  };
};
