import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, lstatSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, readFile, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where spent confirmation tokens are recorded, so each is used once. `spend` is true only the first time a
 * nonce is spent; `expiresAt` (ms since the epoch) is the nonce's own expiry, sealed with it in the token,
 * after which the token is refused anyway and the record may be forgotten.
 */
export interface OneTimeStore {
  spend(nonce: string, expiresAt: number): Promise<boolean>;
}

/**
 * Records are kept this long past their expiry before a sweep forgets them, so an instance whose clock is
 * behind another's still finds a nonce the other spent (tokens themselves are refused from their expiry).
 */
export const SWEEP_GRACE_MS = 5 * 60_000;

/** How often a store sweeps expired records (at most), on a spend. */
const SWEEP_EVERY_MS = 60_000;

/** A record whose expiry cannot be read (a crash between create and write) is forgotten after this. */
const UNREADABLE_KEEP_MS = 24 * 60 * 60_000;

export interface OneTimeStoreOptions {
  now?: () => number;
  /** How often (at most) a spend triggers a sweep of expired records. */
  sweepEveryMs?: number;
}

/**
 * The default: spent nonces in this process's memory, swept once expired. Enough for one instance (stdio,
 * or HTTP with sessions); instances behind a load balancer need a store they share (DirectoryOneTimeStore).
 */
export class MemoryOneTimeStore implements OneTimeStore {
  readonly #spent = new Map<string, number>();
  readonly #now: () => number;
  readonly #sweepEveryMs: number;
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(options: OneTimeStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweepEveryMs = options.sweepEveryMs ?? SWEEP_EVERY_MS;
  }

  /** How many records are kept (tests). */
  get size(): number {
    return this.#spent.size;
  }

  spend(nonce: string, expiresAt: number): Promise<boolean> {
    const now = this.#now();
    if (now - this.#lastSweep >= this.#sweepEveryMs) this.sweep(now);
    if (this.#spent.has(nonce)) return Promise.resolve(false);
    this.#spent.set(nonce, expiresAt);
    return Promise.resolve(true);
  }

  /** Forgets the records past their expiry (and the grace). */
  sweep(now = this.#now()): number {
    this.#lastSweep = now;
    let removed = 0;
    for (const [nonce, expiresAt] of this.#spent)
      if (expiresAt + SWEEP_GRACE_MS < now) {
        this.#spent.delete(nonce);
        removed += 1;
      }
    return removed;
  }
}

/** The confirmation store's folder cannot be used: a one-line reason for the user. */
export class OneTimeStoreUnusable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OneTimeStoreUnusable';
  }
}

const RECORD = /^[0-9a-f]{64}$/;

/**
 * Spent nonces as files in a folder every instance shares (a shared filesystem works): a spend creates the
 * file named by the nonce's hash exclusively (`open(path, 'wx')`), which succeeds for exactly one instance.
 * The file holds the nonce's expiry; expired files are swept now and then. The folder is checked when the
 * store is made: it is created (0700) if missing, and refused if it is a symbolic link, not a folder, or not
 * writable.
 */
export class DirectoryOneTimeStore implements OneTimeStore {
  readonly #now: () => number;
  readonly #sweepEveryMs: number;
  #lastSweep = Number.NEGATIVE_INFINITY;
  #sweeping: Promise<number> | undefined;

  constructor(
    readonly dir: string,
    options: OneTimeStoreOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#sweepEveryMs = options.sweepEveryMs ?? SWEEP_EVERY_MS;
    DirectoryOneTimeStore.#prepare(dir);
  }

  static #prepare(dir: string): void {
    const reason = (cause: unknown) => (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    let stats;
    try {
      stats = lstatSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new OneTimeStoreUnusable(`cannot use the confirmation store ${dir}: ${reason(error)}`);
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        stats = lstatSync(dir);
      } catch (cause) {
        throw new OneTimeStoreUnusable(`cannot create the confirmation store ${dir}: ${reason(cause)}`);
      }
    }
    if (stats.isSymbolicLink())
      throw new OneTimeStoreUnusable(
        `the confirmation store ${dir} is a symbolic link: give --confirmation-store the folder itself.`,
      );
    if (!stats.isDirectory())
      throw new OneTimeStoreUnusable(`the confirmation store ${dir} is not a folder.`);
    const probe = join(dir, `.probe-${randomBytes(6).toString('hex')}`);
    try {
      accessSync(dir, constants.W_OK | constants.X_OK);
      writeFileSync(probe, '', { flag: 'wx', mode: 0o600 });
      unlinkSync(probe);
    } catch (error) {
      throw new OneTimeStoreUnusable(`the confirmation store ${dir} is not writable: ${reason(error)}`);
    }
  }

  #path(nonce: string): string {
    return join(this.dir, createHash('sha256').update(nonce).digest('hex'));
  }

  async spend(nonce: string, expiresAt: number): Promise<boolean> {
    const now = this.#now();
    if (!this.#sweeping && now - this.#lastSweep >= this.#sweepEveryMs) {
      this.#lastSweep = now;
      // In the background: a spend never waits for a sweep, and a failed sweep is tried again later.
      this.#sweeping = this.sweep(now)
        .catch(() => 0)
        .finally(() => (this.#sweeping = undefined));
    }
    let handle;
    try {
      handle = await open(this.#path(nonce), 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      await handle.writeFile(String(expiresAt), 'utf8');
    } finally {
      await handle.close();
    }
    return true;
  }

  /** Removes the records past their expiry (and the grace); says how many. */
  async sweep(now = this.#now()): Promise<number> {
    this.#lastSweep = now;
    let removed = 0;
    for (const name of await readdir(this.dir)) {
      if (!RECORD.test(name)) continue;
      const path = join(this.dir, name);
      try {
        const written = Number((await readFile(path, 'utf8')).trim());
        const until =
          Number.isSafeInteger(written) && written > 0
            ? written + SWEEP_GRACE_MS
            : (await stat(path)).mtimeMs + UNREADABLE_KEEP_MS;
        if (until < now) {
          await unlink(path);
          removed += 1;
        }
      } catch {
        // Gone already (another instance swept it), or unreadable for now: the next sweep tries again.
      }
    }
    return removed;
  }

  /** Waits for a sweep in progress (tests, shutdown). */
  async settled(): Promise<void> {
    await this.#sweeping;
  }
}
