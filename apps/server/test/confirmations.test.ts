import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.js';
import { createLogger } from '../src/logger.js';
import { StartupError, createRuntime } from '../src/runtime.js';
import { type ConfirmationBinding, ConfirmationTokens } from '../src/trust/confirmations.js';
import {
  DirectoryOneTimeStore,
  MemoryOneTimeStore,
  OneTimeStoreUnusable,
  SWEEP_GRACE_MS,
} from '../src/trust/one-time-store.js';
import { ServerSecret } from '../src/trust/secret.js';
import { samplePlugin } from './fixtures/sample-plugin.js';

const SECRET = 's'.repeat(40);
const OTHER_SECRET = 'o'.repeat(40);

const binding: ConfirmationBinding = {
  digest: 'digest-of-wipe_things-{"things":["a"]}',
  orgs: ['a@acme.com'],
  session: 'session-1',
};

const temporary: string[] = [];
function temporaryFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sfmcp-confirmations-'));
  temporary.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temporary) {
    // A folder a test made read-only must be writable again to be removed.
    try {
      chmodSync(dir, 0o700);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A clock the test moves. */
function clock(start = Date.now()) {
  let now = start;
  return { now: () => now, set: (value: number) => (now = value), advance: (ms: number) => (now += ms) };
}

/** The records a DirectoryOneTimeStore keeps: files named by a sha256 in hex. */
const records = (dir: string) => readdirSync(dir).filter((name) => /^[0-9a-f]{64}$/.test(name));
/** Whether the store's folder holds the record of this nonce. */
const holds = (dir: string, nonce: string) =>
  existsSync(join(dir, createHash('sha256').update(nonce).digest('hex')));

describe('confirmation tokens across instances', () => {
  it('verify on another instance with the same secret', async () => {
    const store = new MemoryOneTimeStore();
    const issuer = new ConfirmationTokens(new ServerSecret(SECRET), { store });
    const other = new ConfirmationTokens(new ServerSecret(SECRET), { store });
    const { token, expiresAt } = issuer.issue(binding);
    expect(token).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(await other.redeem(token, binding)).toBe('ok');
  });

  it('are refused by an instance with another secret, or with a random key of its own', async () => {
    const { token } = new ConfirmationTokens(new ServerSecret(SECRET)).issue(binding);
    expect(await new ConfirmationTokens(new ServerSecret(OTHER_SECRET)).redeem(token, binding)).toBe(
      'unknown',
    );
    expect(await new ConfirmationTokens(new ServerSecret('')).redeem(token, binding)).toBe('unknown');
    // Two instances without SFMCP_SECRET have a key each: neither verifies the other's.
    const { token: random } = new ConfirmationTokens(new ServerSecret('')).issue(binding);
    expect(await new ConfirmationTokens(new ServerSecret('')).redeem(random, binding)).toBe('unknown');
  });

  it('refuse a secret shorter than 32 characters', () => {
    expect(() => new ServerSecret('short')).toThrow(/SFMCP_SECRET must be at least 32 characters/);
  });

  it('with an in-memory store per instance, a token can be spent once on each: instances need a shared store', async () => {
    const first = new ConfirmationTokens(new ServerSecret(SECRET));
    const second = new ConfirmationTokens(new ServerSecret(SECRET));
    const { token } = first.issue(binding);
    expect(await first.redeem(token, binding)).toBe('ok');
    expect(await first.redeem(token, binding)).toBe('unknown');
    // The other instance's memory never heard of it: this is why --confirmation-store exists.
    expect(await second.redeem(token, binding)).toBe('ok');
  });
});

describe('a confirmation token', () => {
  const tokens = () => new ConfirmationTokens(new ServerSecret(SECRET));

  it('is refused when altered anywhere, and an altered copy does not spend the real one', async () => {
    const issuer = tokens();
    const { token } = issuer.issue(binding);
    const bytes = Buffer.from(token, 'base64url');
    // Every byte: version, expiry, nonce, the three tags and the MAC.
    for (let index = 0; index < bytes.length; index++) {
      const altered = Buffer.from(bytes);
      altered[index] = altered[index]! ^ 0x01;
      expect(await issuer.redeem(altered.toString('base64url'), binding)).toBe('unknown');
    }
    // A later expiry written into the token breaks its seal.
    const extended = Buffer.from(bytes);
    extended.writeUInt32BE(extended.readUInt32BE(1) + 86_400, 1);
    expect(await issuer.redeem(extended.toString('base64url'), binding)).toBe('unknown');
    // Cut, padded, not base64url, not a string.
    for (const wrong of [token.slice(1), `${token}A`, `${token.slice(1)}=`, `${token.slice(1)}+`, ''])
      expect(await issuer.redeem(wrong, binding)).toBe('unknown');
    expect(await issuer.redeem(42 as unknown as string, binding)).toBe('unknown');
    expect(await issuer.redeem(token, binding)).toBe('ok');
  });

  it('expires: accepted until its expiry, refused after it', async () => {
    const time = clock(Date.UTC(2026, 11, 2, 12, 0, 0));
    const issuer = new ConfirmationTokens(new ServerSecret(SECRET), { ttlMs: 60_000, now: time.now });
    const early = issuer.issue(binding);
    const late = issuer.issue(binding);
    expect(early.expiresAt.getTime()).toBe(time.now() + 60_000);
    time.set(early.expiresAt.getTime());
    expect(await issuer.redeem(early.token, binding)).toBe('ok');
    time.advance(1);
    expect(await issuer.redeem(late.token, binding)).toBe('unknown');
    // Another instance with the same secret and its own clock refuses it as well.
    const elsewhere = new ConfirmationTokens(new ServerSecret(SECRET), { now: time.now });
    expect(await elsewhere.redeem(late.token, binding)).toBe('unknown');
  });

  it('is bound to the arguments, the orgs and the session, and a wrong guess spends it', async () => {
    const issuer = tokens();
    const cases: [Partial<ConfirmationBinding>, string][] = [
      [{ digest: 'digest-of-wipe_things-{"things":["everything"]}' }, 'arguments'],
      [{ orgs: ['b@acme.com'] }, 'orgs'],
      [{ orgs: ['a@acme.com', 'b@acme.com'] }, 'orgs'],
      [{ orgs: [] }, 'orgs'],
      [{ session: 'session-2' }, 'session'],
    ];
    for (const [change, outcome] of cases) {
      const { token } = issuer.issue(binding);
      expect(await issuer.redeem(token, { ...binding, ...change })).toBe(outcome);
      // One attempt, one token: the right binding cannot use it afterwards.
      expect(await issuer.redeem(token, binding)).toBe('unknown');
    }
  });

  it('matches the orgs as a set, whatever their case and order', async () => {
    const issuer = tokens();
    const { token } = issuer.issue({ ...binding, orgs: ['A@acme.com', 'b@acme.com'] });
    expect(await issuer.redeem(token, { ...binding, orgs: ['B@ACME.com', 'a@acme.com', 'b@acme.com'] })).toBe(
      'ok',
    );
  });

  it('is used once with the in-memory store', async () => {
    const issuer = tokens();
    expect(issuer.store).toBeInstanceOf(MemoryOneTimeStore);
    const { token } = issuer.issue(binding);
    expect(await issuer.redeem(token, binding)).toBe('ok');
    expect(await issuer.redeem(token, binding)).toBe('unknown');
    expect((issuer.store as MemoryOneTimeStore).size).toBe(1);
  });

  it('is used once with a DirectoryOneTimeStore, across instances sharing the folder', async () => {
    const dir = temporaryFolder();
    const first = new ConfirmationTokens(new ServerSecret(SECRET), { store: new DirectoryOneTimeStore(dir) });
    const second = new ConfirmationTokens(new ServerSecret(SECRET), {
      store: new DirectoryOneTimeStore(dir),
    });
    const { token } = first.issue(binding);
    expect(await second.redeem(token, binding)).toBe('ok');
    expect(await first.redeem(token, binding)).toBe('unknown');
    expect(await second.redeem(token, binding)).toBe('unknown');
    expect(records(dir)).toHaveLength(1);
  });

  it('redeemed concurrently on two instances sharing a folder: exactly one redemption succeeds', async () => {
    const dir = temporaryFolder();
    const instances = [0, 1].map(
      () => new ConfirmationTokens(new ServerSecret(SECRET), { store: new DirectoryOneTimeStore(dir) }),
    );
    const { token } = instances[0]!.issue(binding);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, index) => instances[index % 2]!.redeem(token, binding)),
    );
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'unknown')).toHaveLength(39);
  });
});

describe('DirectoryOneTimeStore', () => {
  it('lets exactly one of many concurrent spends of one nonce succeed, over two stores on one folder', async () => {
    const dir = temporaryFolder();
    const stores = [new DirectoryOneTimeStore(dir), new DirectoryOneTimeStore(dir)];
    const expiresAt = Date.now() + 60_000;
    for (let round = 0; round < 5; round++) {
      const nonce = `nonce-${round}`;
      const spent = await Promise.all(
        Array.from({ length: 50 }, (_, index) => stores[index % 2]!.spend(nonce, expiresAt)),
      );
      expect(spent.filter(Boolean)).toHaveLength(1);
    }
    expect(records(dir)).toHaveLength(5);
    await Promise.all(stores.map((store) => store.settled()));
  });

  it('records the expiry in the file, private to the user', async () => {
    const dir = temporaryFolder();
    const store = new DirectoryOneTimeStore(dir);
    expect(await store.spend('n', 1_234_567_890_000)).toBe(true);
    const [name] = records(dir);
    expect(statSync(join(dir, name!)).mode & 0o777).toBe(0o600);
    await store.settled();
  });

  it('sweeps records past their expiry and the grace, and keeps the rest and files that are not records', async () => {
    const dir = temporaryFolder();
    const time = clock();
    const store = new DirectoryOneTimeStore(dir, { now: time.now });
    const start = time.now();
    expect(await store.spend('soon', start + 1_000)).toBe(true);
    expect(await store.spend('later', start + 10 * 60_000)).toBe(true);
    await store.settled();
    writeFileSync(join(dir, 'notes.txt'), 'not a record');
    expect(records(dir)).toHaveLength(2);

    // Within the grace an instance with a slower clock still finds the nonce spent.
    expect(await store.sweep(start + 1_000 + SWEEP_GRACE_MS)).toBe(0);
    expect(await store.spend('soon', start + 1_000)).toBe(false);
    expect(await store.sweep(start + 1_000 + SWEEP_GRACE_MS + 1)).toBe(1);
    expect(records(dir)).toHaveLength(1);
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
    // Forgotten: its token is refused by its expiry anyway.
    expect(await store.spend('soon', start + 1_000)).toBe(true);
    await store.settled();
  });

  it('sweeps on a spend, in the background, at most every sweepEveryMs', async () => {
    const dir = temporaryFolder();
    const time = clock();
    const store = new DirectoryOneTimeStore(dir, { now: time.now, sweepEveryMs: 60_000 });
    const start = time.now();
    expect(await store.spend('old', start + 1_000)).toBe(true);
    await store.settled();
    time.set(start + 1_000 + SWEEP_GRACE_MS + 1);
    expect(await store.spend('new', time.now() + 60_000)).toBe(true);
    await store.settled();
    expect(holds(dir, 'old')).toBe(false);
    expect(holds(dir, 'new')).toBe(true);
    // Spends within sweepEveryMs of that sweep do not sweep: a record past its expiry stays meanwhile.
    expect(await store.spend('stale', time.now() - SWEEP_GRACE_MS - 1)).toBe(true);
    time.advance(59_000);
    expect(await store.spend('another', time.now() + 60_000)).toBe(true);
    await store.settled();
    expect(holds(dir, 'stale')).toBe(true);
    time.advance(1_000);
    expect(await store.spend('one-more', time.now() + 60_000)).toBe(true);
    await store.settled();
    expect(holds(dir, 'stale')).toBe(false);
    expect(records(dir)).toHaveLength(3);
  });

  it('forgets a record whose expiry cannot be read only after a day', async () => {
    const dir = temporaryFolder();
    const store = new DirectoryOneTimeStore(dir);
    const broken = join(dir, 'a'.repeat(64));
    writeFileSync(broken, '');
    const written = Date.now() - 60_000;
    utimesSync(broken, written / 1000, written / 1000);
    expect(await store.sweep(written + 24 * 60 * 60_000 - 1)).toBe(0);
    expect(existsSync(broken)).toBe(true);
    expect(await store.sweep(written + 24 * 60 * 60_000 + 1_000)).toBe(1);
    expect(existsSync(broken)).toBe(false);
  });

  it('creates a missing folder, private to the user', () => {
    const dir = join(temporaryFolder(), 'nested', 'store');
    new DirectoryOneTimeStore(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('refuses a folder that is a symbolic link, dangling or not', () => {
    const parent = temporaryFolder();
    const target = join(parent, 'real');
    mkdirSync(target);
    const link = join(parent, 'link');
    symlinkSync(target, link);
    expect(() => new DirectoryOneTimeStore(link)).toThrow(OneTimeStoreUnusable);
    expect(() => new DirectoryOneTimeStore(link)).toThrow(
      `the confirmation store ${link} is a symbolic link: give --confirmation-store the folder itself.`,
    );
    const dangling = join(parent, 'dangling');
    symlinkSync(join(parent, 'missing'), dangling);
    expect(() => new DirectoryOneTimeStore(dangling)).toThrow(/is a symbolic link/);
    expect(existsSync(join(parent, 'missing'))).toBe(false);
  });

  it('refuses a regular file', () => {
    const file = join(temporaryFolder(), 'store');
    writeFileSync(file, '');
    expect(() => new DirectoryOneTimeStore(file)).toThrow(`the confirmation store ${file} is not a folder.`);
  });

  it('refuses a folder below a regular file, naming why', () => {
    const file = join(temporaryFolder(), 'store');
    writeFileSync(file, '');
    expect(() => new DirectoryOneTimeStore(join(file, 'inner'))).toThrow(
      /^cannot use the confirmation store .*inner: ENOTDIR$/,
    );
  });

  it.skipIf(process.getuid?.() === 0)('refuses a folder it cannot write to', () => {
    const dir = temporaryFolder();
    chmodSync(dir, 0o500);
    expect(() => new DirectoryOneTimeStore(dir)).toThrow(
      new RegExp(`^the confirmation store ${dir} is not writable: EACCES$`),
    );
  });
});

describe('MemoryOneTimeStore', () => {
  it('spends a nonce once and forgets it after its expiry and the grace', async () => {
    const time = clock();
    const store = new MemoryOneTimeStore({ now: time.now });
    const expiresAt = time.now() + 1_000;
    expect(await store.spend('n', expiresAt)).toBe(true);
    expect(await store.spend('n', expiresAt)).toBe(false);
    expect(store.sweep(expiresAt + SWEEP_GRACE_MS)).toBe(0);
    expect(store.sweep(expiresAt + SWEEP_GRACE_MS + 1)).toBe(1);
    expect(store.size).toBe(0);
  });
});

describe('the server and --confirmation-store', () => {
  const runtimeWith = async (args: string[], secret?: string) => {
    const lines: string[] = [];
    const command = parseCli(args);
    if (command.kind !== 'serve') throw new Error('serving flags expected');
    const runtime = await createRuntime(command.options, {
      plugins: [{ plugin: samplePlugin, source: 'test' }],
      discover: false,
      log: createLogger({ debug: false, write: (line) => lines.push(line) }),
      secret: secret ?? '',
    });
    return { runtime, lines };
  };

  it('does not start when the folder cannot be used, in one line', async () => {
    const file = join(temporaryFolder(), 'store');
    writeFileSync(file, '');
    const started = runtimeWith(['--confirmation-store', file], SECRET);
    await expect(started).rejects.toThrow(StartupError);
    await expect(started).rejects.toThrow(`the confirmation store ${file} is not a folder.`);
  });

  it('warns when SFMCP_SECRET is not set, and spends tokens in the folder', async () => {
    const dir = join(temporaryFolder(), 'store');
    const { runtime, lines } = await runtimeWith(['--confirmation-store', dir]);
    expect(lines.join('\n')).toMatch(/--confirmation-store is set but SFMCP_SECRET is not/);
    const { token } = runtime.tokens.issue(binding);
    expect(await runtime.tokens.redeem(token, binding)).toBe('ok');
    expect(records(dir)).toHaveLength(1);
    await runtime.close();
    const shared = await runtimeWith(['--confirmation-store', dir], SECRET);
    expect(shared.lines.join('\n')).not.toMatch(/SFMCP_SECRET/);
    await shared.runtime.close();
  });
});
