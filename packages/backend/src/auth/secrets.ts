import { createHash, randomBytes } from 'node:crypto';

/** Prefix of every API token, so scanners and people recognise one. */
export const TOKEN_PREFIX = 'atr_';

/** 32 random bytes, base64url: the opaque value of a session cookie. */
export function newSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** `atr_` + 32 random bytes, base64url. */
export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** What is stored in place of a secret: its sha256, hex. A high-entropy secret needs no slow hash. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
