import { createHmac, randomBytes } from 'node:crypto';

/** The environment variable that gives several server instances one secret for cursors and tokens. */
export const SECRET_VARIABLE = 'SFMCP_SECRET';

/**
 * Keys for what the server seals (cursors, confirmation tokens): derived from SFMCP_SECRET when it is set,
 * so instances behind one load balancer verify each other's; else random for this process.
 */
export class ServerSecret {
  readonly #root: Buffer;
  readonly shared: boolean;

  constructor(configured: string | undefined = process.env[SECRET_VARIABLE]) {
    if (configured !== undefined && configured !== '') {
      if (configured.length < 32)
        throw new Error(`${SECRET_VARIABLE} must be at least 32 characters (use a random string).`);
      this.#root = Buffer.from(configured, 'utf8');
      this.shared = true;
    } else {
      this.#root = randomBytes(32);
      this.shared = false;
    }
  }

  /** A key for one purpose, so a cursor can never pass as a token. */
  key(purpose: string): Buffer {
    return createHmac('sha256', this.#root).update(`sfmcp:${purpose}`).digest();
  }
}
