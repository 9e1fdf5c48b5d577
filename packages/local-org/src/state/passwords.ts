/**
 * The passwords users log in with (the authorization server's login form): kept in the org's extensions
 * as scrypt hashes, so a saved org keeps them and never holds one in the clear.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { OrgState } from './types.js';

const PASSWORDS = 'oauthPasswords';

function hash(password: string, salt = randomBytes(16)): string {
  return `scrypt:${salt.toString('base64')}:${scryptSync(password, salt, 32).toString('base64')}`;
}

let unused: string | undefined;

/** Sets (or, with undefined, removes) the password `userId` logs in with. */
export function setUserPassword(org: OrgState, userId: string, password: string | undefined): void {
  if (password !== undefined && (typeof password !== 'string' || password.length < 8))
    throw new RangeError('a password has at least 8 characters');
  const stored = { ...((org.extensions.get(PASSWORDS) as Record<string, string> | undefined) ?? {}) };
  if (password === undefined) delete stored[userId];
  else stored[userId] = hash(password);
  org.extensions.set(PASSWORDS, stored);
}

/** Whether `password` is `userId`'s. A user without one costs a hash too, so timing tells nothing. */
export function userPasswordMatches(org: OrgState, userId: string | undefined, password: string): boolean {
  const stored = userId
    ? (org.extensions.get(PASSWORDS) as Record<string, string> | undefined)?.[userId]
    : undefined;
  unused ??= hash(randomBytes(24).toString('base64'));
  const [, salt = '', expected = ''] = (stored ?? unused).split(':');
  const want = Buffer.from(expected, 'base64');
  const given = scryptSync(password, Buffer.from(salt, 'base64'), want.length);
  return timingSafeEqual(given, want) && stored !== undefined;
}
