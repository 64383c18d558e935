import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from './clock.js';
import { hashSecret, newTokenSecret } from './secrets.js';

export type TokenKind = 'personal' | 'service';

/** A token as the API lists it: never its secret, which is shown once at creation. */
export interface TokenInfo {
  id: string;
  name: string;
  kind: TokenKind;
  /** The user (personal) or group (service) the token acts as. */
  ownerRef: string;
  createdBy: string;
  /** `read`, or permission names. */
  scopes: string[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface NewToken {
  name: string;
  kind: TokenKind;
  ownerRef: string;
  createdBy: string;
  scopes: string[];
  expiresAt: Date;
}

export type TokenLookup = { status: 'valid' | 'revoked' | 'expired'; token: TokenInfo } | { status: 'unknown' };

interface TokenRow {
  id: string;
  name: string;
  kind: TokenKind;
  owner_ref: string;
  created_by: string;
  scopes: string[] | string;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** API tokens in Postgres (`atrium_auth.api_tokens`), found by the sha256 of the secret. */
export class TokenStore {
  private readonly revokedListeners = new Set<() => void>();

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
  ) {}

  /** Calls `listener` after any token was revoked through this store. */
  onRevoked(listener: () => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  private revoked(n: number): void {
    if (n > 0) for (const listener of this.revokedListeners) listener();
  }

  /** The store's clock (expiry times are computed from it). */
  now(): Date {
    return this.clock();
  }

  /** Creates a token; the returned secret is the only time it exists outside the caller's hands. */
  async create(input: NewToken): Promise<{ secret: string; token: TokenInfo }> {
    const secret = newTokenSecret();
    const row: TokenRow = {
      id: randomUUID(),
      name: input.name,
      kind: input.kind,
      owner_ref: input.ownerRef,
      created_by: input.createdBy,
      scopes: input.scopes,
      created_at: this.clock(),
      expires_at: input.expiresAt,
      last_used_at: null,
      revoked_at: null,
    };
    await this.db('api_tokens').insert({ ...row, scopes: JSON.stringify(input.scopes), secret_hash: hashSecret(secret) });
    return { secret, token: toInfo(row) };
  }

  /** Finds a token by its secret and records its use when it is valid. */
  async lookup(secret: string): Promise<TokenLookup> {
    const row = (await this.db('api_tokens')
      .where({ secret_hash: hashSecret(secret) })
      .first()) as TokenRow | undefined;
    if (!row) return { status: 'unknown' };
    const token = toInfo(row);
    if (row.revoked_at) return { status: 'revoked', token };
    const now = this.clock();
    if (now.getTime() >= new Date(row.expires_at).getTime()) return { status: 'expired', token };
    // Last-used to the minute: enough to spot unused tokens without a write on every call.
    if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
      await this.db('api_tokens').where({ id: row.id }).update({ last_used_at: now });
      token.lastUsedAt = now.toISOString();
    }
    return { status: 'valid', token };
  }

  /** Tokens owned by any of `ownerRefs` (the caller's own and its groups' service tokens), newest first. */
  async list(ownerRefs: readonly string[]): Promise<TokenInfo[]> {
    if (ownerRefs.length === 0) return [];
    const rows = (await this.db('api_tokens')
      .whereIn('owner_ref', [...ownerRefs])
      .orderBy('created_at', 'desc')) as TokenRow[];
    return rows.map(toInfo);
  }

  async get(id: string): Promise<TokenInfo | undefined> {
    const row = (await this.db('api_tokens').where({ id }).first()) as TokenRow | undefined;
    return row ? toInfo(row) : undefined;
  }

  /** Revokes a token; false when it was already revoked. */
  async revoke(id: string): Promise<boolean> {
    const n = await this.db('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: this.clock() });
    this.revoked(n);
    return n > 0;
  }

  /** Revokes every token owned by a ref (e.g. a deprovisioned user); returns how many. */
  async revokeAllOwnedBy(ownerRef: string): Promise<number> {
    const n = await this.db('api_tokens').where({ owner_ref: ownerRef }).whereNull('revoked_at').update({ revoked_at: this.clock() });
    this.revoked(n);
    return n;
  }
}

function toInfo(row: TokenRow): TokenInfo {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  const at = (d: Date) => new Date(d).toISOString();
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    ownerRef: row.owner_ref,
    createdBy: row.created_by,
    scopes: typeof row.scopes === 'string' ? (JSON.parse(row.scopes) as string[]) : row.scopes,
    createdAt: at(row.created_at),
    expiresAt: at(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}
