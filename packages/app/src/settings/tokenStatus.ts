import type { TokenInfo } from '../auth/authApi';

export type TokenState = 'active' | 'expired' | 'revoked';

/** Whether a token still works, at `now`. */
export function tokenState(token: TokenInfo, now: Date): TokenState {
  if (token.revokedAt) return 'revoked';
  if (new Date(token.expiresAt).getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** Working tokens first (soonest expiry first), then the rest, newest first. */
export function sortTokens(tokens: readonly TokenInfo[], now: Date): TokenInfo[] {
  const rank = (t: TokenInfo) => (tokenState(t, now) === 'active' ? 0 : 1);
  return [...tokens].sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? a.expiresAt.localeCompare(b.expiresAt) : b.createdAt.localeCompare(a.createdAt)));
}

/** The scopes the API accepts: `read`, or permission names such as `catalog.entity.delete`. */
export const SCOPE_PATTERN = /^(read|[a-z][a-zA-Z0-9-]*(\.[a-zA-Z0-9-]+)+)$/;

/** What is wrong with a new token's fields, per field; empty when it can be sent. */
export function validateNewToken(input: { name: string; scopes: string[] }): { name?: string; scopes?: string } {
  const errors: { name?: string; scopes?: string } = {};
  if (input.name.trim() === '') errors.name = 'Give the token a name, e.g. what uses it.';
  else if (input.name.trim().length > 100) errors.name = 'At most 100 characters.';
  if (input.scopes.length === 0) errors.scopes = 'Choose at least one scope.';
  else {
    const bad = input.scopes.filter((s) => !SCOPE_PATTERN.test(s));
    if (bad.length) errors.scopes = `Not a scope: ${bad.join(', ')}. Use "read" or a permission name like catalog.entity.delete.`;
  }
  return errors;
}
