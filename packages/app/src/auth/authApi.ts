import { apiFetch } from '@atrium/frontend-plugin-api';

/** `GET /api/auth/providers`: what the sign-in page offers. */
export interface SignInOptions {
  guest: boolean;
  providers: Array<{ id: string; title: string; startUrl: string }>;
}

/** `GET /api/auth/sessions` items. */
export interface SessionInfo {
  id: string;
  userEntityRef: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

/** `GET /api/auth/tokens` items (never the secret). */
export interface TokenInfo {
  id: string;
  name: string;
  kind: 'personal' | 'service';
  ownerRef: string;
  createdBy: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface NewTokenRequest {
  name: string;
  scopes: string[];
  expiresInDays: number;
  /** A group ref: a service token for that group. */
  ownerRef?: string;
}

export interface CreatedToken {
  token: TokenInfo;
  /** Shown once. */
  secret: string;
}

type Signal = { signal?: AbortSignal };

export const authQueryKeys = {
  providers: ['atrium', 'auth', 'providers'] as const,
  sessions: ['atrium', 'auth', 'sessions'] as const,
  tokens: ['atrium', 'auth', 'tokens'] as const,
};

export const getSignInOptions = (o: Signal = {}) => apiFetch<SignInOptions>('/auth/providers', o);
export const listSessions = (o: Signal = {}) => apiFetch<{ items: SessionInfo[] }>('/auth/sessions', o).then((r) => r.items);
export const revokeSession = (id: string) => apiFetch<undefined>(`/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
export const revokeAllSessions = () => apiFetch<{ revoked: number }>('/auth/sessions', { method: 'DELETE' });
export const logout = () => apiFetch<undefined>('/auth/logout', { method: 'POST', json: {} });
export const listTokens = (o: Signal = {}) => apiFetch<{ items: TokenInfo[] }>('/auth/tokens', o).then((r) => r.items);
export const createToken = (request: NewTokenRequest) => apiFetch<CreatedToken>('/auth/tokens', { json: request });
export const revokeToken = (id: string) => apiFetch<undefined>(`/auth/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
