/**
 * Starts a local org: an HTTP server on 127.0.0.1 that answers as a Salesforce org would, for the
 * real client libraries. It is a test double, not Salesforce.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openGitRoot, startDevops } from './devops/index.js';
import { FaultSwitches, type Fault, type OrgFaults } from './http/faults.js';
import { createRouter, DEFAULT_MAX_BODY_BYTES } from './http/router.js';
import { AuthorizationServer, LOCAL_OAUTH_CLIENT_ID, type LocalOAuthClient } from './http/oauth.js';
import { SessionTokens, newRefreshToken, newSessionToken } from './http/sessions.js';
import { setSoapSessionValidator } from './metadata/index.js';
import { clearOrgTimers, setOrgTiming, type OrgTiming } from './metadata/jobs.js';
import { setApiUsage } from './rest/limits.js';
import { QueryCursors } from './rest/query.js';
import { type QueryObserver, observeQueries } from './soql/index.js';
import type { LocalOrgSeed } from './seed/types.js';
import {
  createOrgState,
  insertUser,
  restoreOrgState,
  type NewUser,
  snapshotOrgState,
  type LocalOrgState,
  type OrgSnapshot,
} from './state/index.js';

export interface StartLocalOrgOptions {
  /** The seed for a new org; without one the org has only its organization, profiles and one admin. */
  seed?: LocalOrgSeed;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Keep the org's state here as JSON: loaded on start when present, written after changes and on stop. */
  dataDir?: string;
  /** The clock for audit fields and date literals. */
  now?: () => Date;
  /** An access token to accept; a random one by default (a stored org keeps its own). */
  accessToken?: string;
  /**
   * The refresh token `POST /services/oauth2/token` accepts (`grant_type=refresh_token`); a random one
   * by default (a stored org keeps its own).
   */
  refreshToken?: string;
  /** Faults active from the first request on (see `org.faults`). */
  faults?: Fault[];
  /** Request body cap in bytes (Salesforce's 50 MB by default). */
  maxBodyBytes?: number;
  /**
   * How long deploys take (`deployMs`: Pending, then InProgress with components counted up, then done;
   * a cancel mid-way ends Canceled), measured by the wall clock when a status is asked for; how long an
   * asynchronous Apex test run takes (`testRunMs`: Queued, Processing, Completed). Instant by default.
   */
  timing?: OrgTiming;
  /**
   * Connected apps the authorization server accepts besides `sfmcp-local` (which takes any loopback
   * callback URL): each a client id and its exact callback URLs.
   */
  oauthClients?: LocalOAuthClient[];
  /** Hear about handler bugs (errors that are not Salesforce API errors). */
  onUnexpectedError?: (error: unknown) => void;
}

export interface LocalOrg {
  /** `http://127.0.0.1:<port>` */
  instanceUrl: string;
  /** The login URL clients record; the same server (it answers the identity URLs). */
  loginUrl: string;
  accessToken: string;
  /**
   * The OAuth token endpoint and the refresh token it takes (`grant_type=refresh_token`). Apart from
   * the fields above, so that spreading an org into an auth (`{ ...org, alias }`) never makes a login
   * refreshable by accident.
   */
  oauth: {
    tokenUrl: string;
    refreshToken: string;
    /** Where users log in (the authorization-code flow with PKCE; README: OAuth and users). */
    authorizeUrl: string;
    /** The public client every loopback callback URL may use (`sfmcp-local`). */
    clientId: string;
  };
  /**
   * Creates a user who can log in through the authorization server with `password`, with a profile
   * (Standard User by default) and permission sets by name: what they see follows from those.
   */
  addUser(user: NewUser): { userId: string; username: string };
  /** Sets (or, with undefined, removes) a user's password, by username. */
  setPassword(username: string, password: string | undefined): void;
  /** Sets the daily API counter (`DailyApiRequests`): `used` of `max`; past it, calls get REQUEST_LIMIT_EXCEEDED. */
  setApiUsage(used: number, max?: number): void;
  /** Fault switches: drop, 500, 503, slow, stall, garbage, an expired session (README: Faults). */
  faults: OrgFaults;
  /**
   * Calls `observer` with every SOQL and SOSL text the org is asked to run (REST, Tooling, Composite),
   * as received and before it runs: how a test sees what a tool sent. Returns the unsubscribe.
   */
  onQuery(observer: QueryObserver): () => void;
  username: string;
  orgId: string;
  userId: string;
  port: number;
  state: LocalOrgState;
  /** True when the state came from `dataDir` rather than from the seed. */
  restored: boolean;
  /**
   * Where the org keeps its DevOps Center bare repositories (`<gitRoot>/<owner>/<name>`): `<dataDir>/git`
   * with a data dir, else a temporary folder that stop() removes.
   */
  gitRoot: string;
  /** Writes the state out (with a data dir) now. */
  save(): void;
  /** Stops listening (open connections are closed) and writes the state out. */
  stop(): Promise<void>;
}

const STATE_FILE = 'local-org-state.json';
// Saving writes the whole org; under a stream of writes, at most once every two seconds.
const SAVE_DELAY_MS = 2000;

/** JSON for extension values that are Maps, Sets or Buffers, so they come back as what they were. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return { $type: 'Map', entries: [...value.entries()] };
  if (value instanceof Set) return { $type: 'Set', values: [...value.values()] };
  if (
    value &&
    typeof value === 'object' &&
    (value as { type?: unknown }).type === 'Buffer' &&
    Array.isArray((value as { data?: unknown }).data)
  ) {
    return { $type: 'Buffer', base64: Buffer.from((value as { data: number[] }).data).toString('base64') };
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && '$type' in value) {
    const tagged = value as {
      $type: string;
      entries?: [unknown, unknown][];
      values?: unknown[];
      base64?: string;
    };
    if (tagged.$type === 'Map') return new Map(tagged.entries ?? []);
    if (tagged.$type === 'Set') return new Set(tagged.values ?? []);
    if (tagged.$type === 'Buffer') return Buffer.from(tagged.base64 ?? '', 'base64');
  }
  return value;
}

interface StoredState {
  accessToken: string;
  /** Absent in states written before the org had a token endpoint. */
  refreshToken?: string;
  snapshot: OrgSnapshot;
}

function loadStored(dataDir: string): StoredState | undefined {
  const file = join(dataDir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8'), reviver) as StoredState;
}

function writeStored(dataDir: string, stored: StoredState): void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, STATE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(stored, replacer));
  renameSync(temporary, file);
}

export async function startLocalOrg(options: StartLocalOrgOptions = {}): Promise<LocalOrg> {
  const stateOptions = options.now ? { now: options.now } : {};
  const stored = options.dataDir ? loadStored(options.dataDir) : undefined;
  const gitRoot = await openGitRoot(options.dataDir);
  let state: LocalOrgState;
  let devops: Awaited<ReturnType<typeof startDevops>>;
  try {
    state = stored
      ? restoreOrgState(stored.snapshot, stateOptions)
      : createOrgState(options.seed, { ...stateOptions, gitRoot: gitRoot.path });
    devops = await startDevops(state, {
      gitRoot,
      seed: stored ? undefined : options.seed?.devops,
      restored: stored !== undefined,
    });
  } catch (error) {
    if (gitRoot.temporary) rmSync(gitRoot.path, { recursive: true, force: true });
    throw error;
  }
  const accessToken = options.accessToken ?? stored?.accessToken ?? newSessionToken(state.orgId);
  const refreshToken = options.refreshToken ?? stored?.refreshToken ?? newRefreshToken();
  const sessions = new SessionTokens(accessToken, refreshToken, state.orgId, state.userId);
  const faults = new FaultSwitches(sessions);
  if (options.faults) faults.set(...options.faults);
  const cursors = new QueryCursors();
  // A SOAP SessionHeader must carry a live session of this org too, not just any bearer header.
  setSoapSessionValidator(state, (sessionId) => sessions.accepts(sessionId));
  if (options.timing) setOrgTiming(state, options.timing);

  let instanceUrl = '';
  const authorization = new AuthorizationServer(state, sessions, () => instanceUrl, options.oauthClients);
  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (options.dataDir)
      writeStored(options.dataDir, { accessToken, refreshToken, snapshot: snapshotOrgState(state) });
  };
  const scheduleSave = () => {
    if (!options.dataDir || saveTimer) return;
    saveTimer = setTimeout(() => {
      try {
        save();
      } catch (error) {
        options.onUnexpectedError?.(error);
      }
    }, SAVE_DELAY_MS);
    saveTimer.unref();
  };
  const stopListening = state.onChange(scheduleSave);

  const route = createRouter({
    org: state,
    sessions,
    authorization,
    faults,
    cursors,
    instanceUrl: () => instanceUrl,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    devops,
    onUnexpectedError: (error) => options.onUnexpectedError?.(error),
  });
  const server: Server = createServer((request, response) => {
    // Tooling and Metadata keep their state in extensions, which do not announce changes: save after writes.
    if (request.method !== 'GET' && request.method !== 'HEAD') response.on('finish', scheduleSave);
    route(request, response);
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    stopListening();
    await devops.stop();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  instanceUrl = `http://127.0.0.1:${port}`;
  if (options.dataDir) save();

  let stopped: Promise<void> | undefined;
  return {
    instanceUrl,
    loginUrl: instanceUrl,
    accessToken,
    oauth: {
      tokenUrl: `${instanceUrl}/services/oauth2/token`,
      refreshToken,
      authorizeUrl: `${instanceUrl}/services/oauth2/authorize`,
      clientId: LOCAL_OAUTH_CLIENT_ID,
    },
    addUser(user) {
      const record = insertUser(state, user);
      return { userId: record.Id, username: String(record.Username) };
    },
    setPassword(username, password) {
      const lower = username.toLowerCase();
      const user = [...state.records.rows('User')].find(
        (row) => String(row.Username).toLowerCase() === lower,
      );
      if (!user) throw new RangeError(`no user named ${username}`);
      authorization.setPassword(user.Id, password);
    },
    setApiUsage: (used, max) => setApiUsage(state, used, max),
    faults,
    onQuery: (observer) => observeQueries(state, observer),
    username: state.username,
    orgId: state.orgId,
    userId: state.userId,
    port,
    state,
    restored: stored !== undefined,
    gitRoot: devops.gitRoot,
    save,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        stopListening();
        clearOrgTimers(state);
        faults.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      })
        .then(async () => {
          // Let clients in this process read the closed keep-alive sockets before anyone reuses the
          // port: otherwise a pooled socket to this server is picked for the next request and fails.
          await new Promise((resolve) => setImmediate(resolve));
          await new Promise((resolve) => setImmediate(resolve));
        })
        .then(() => {
          save();
        })
        .then(() => devops.stop());
      return stopped;
    },
  };
}
