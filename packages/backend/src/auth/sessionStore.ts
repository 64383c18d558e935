import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from './clock.js';
import { hashSecret, newSessionSecret } from './secrets.js';

export interface SessionLifetimes {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, however much it is used. */
  maxMs: number;
}

/** A session as the API shows it (never its secret). */
export interface SessionInfo {
  id: string;
  userEntityRef: string;
  createdAt: string;
  lastSeenAt: string;
  /** The earlier of the idle and the absolute end. */
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
}

interface SessionRow {
  id: string;
  user_entity_ref: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  user_agent: string | null;
  ip: string | null;
}

/**
 * Sign-in sessions in Postgres (`atrium_auth.sessions`). Every lookup reads the table; the host's
 * auth keeps recent lookups for a few seconds and drops them when `onRevoked` listeners hear
 * that a session ended here (and, through the event bus, on another replica).
 */
export class SessionStore {
  private readonly revokedListeners = new Set<() => void>();

  constructor(
    private readonly db: Knex,
    private readonly lifetimes: SessionLifetimes,
    private readonly clock: Clock,
  ) {}

  /** Calls `listener` after any session ended through this store (sign-out, revocation, rotation). */
  onRevoked(listener: () => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  private revoked(n: number): void {
    if (n > 0) for (const listener of this.revokedListeners) listener();
  }

  /**
   * Starts a session for a user and returns the cookie value (shown only here). Passing the
   * current cookie's value ends that session: a sign-in always gets a fresh id (rotation).
   */
  async create(userEntityRef: string, meta: { userAgent?: string; ip?: string; replacing?: string } = {}): Promise<{ secret: string; session: SessionInfo }> {
    const now = this.clock();
    const secret = newSessionSecret();
    const row: SessionRow = {
      id: randomUUID(),
      user_entity_ref: userEntityRef,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + this.lifetimes.maxMs),
      revoked_at: null,
      user_agent: meta.userAgent?.slice(0, 500) ?? null,
      ip: meta.ip ?? null,
    };
    let replaced = 0;
    await this.db.transaction(async (trx) => {
      if (meta.replacing)
        replaced = await trx('sessions')
          .where({ secret_hash: hashSecret(meta.replacing) })
          .whereNull('revoked_at')
          .update({ revoked_at: now });
      await trx('sessions').insert({ ...row, secret_hash: hashSecret(secret) });
    });
    this.revoked(replaced);
    return { secret, session: this.toInfo(row) };
  }

  /** The live session a cookie value names, or undefined (unknown, revoked, idle too long, past its end). */
  async lookup(secret: string): Promise<SessionInfo | undefined> {
    const row = (await this.db('sessions')
      .where({ secret_hash: hashSecret(secret) })
      .first()) as SessionRow | undefined;
    if (!row || !this.isLive(row)) return undefined;
    const now = this.clock();
    // Record use at most every minute (or a quarter of the idle time): one write per request would be wasteful.
    if (now.getTime() - new Date(row.last_seen_at).getTime() > Math.min(60_000, this.lifetimes.idleMs / 4)) {
      await this.db('sessions').where({ id: row.id }).update({ last_seen_at: now });
      row.last_seen_at = now;
    }
    return this.toInfo(row);
  }

  /** The user's live sessions, newest first. */
  async listForUser(userEntityRef: string): Promise<SessionInfo[]> {
    const rows = (await this.db('sessions').where({ user_entity_ref: userEntityRef }).whereNull('revoked_at').orderBy('created_at', 'desc')) as SessionRow[];
    return rows.filter((r) => this.isLive(r)).map((r) => this.toInfo(r));
  }

  /** Ends one of the user's sessions; false when it is not theirs or already ended. */
  async revoke(userEntityRef: string, id: string): Promise<boolean> {
    const n = await this.db('sessions').where({ id, user_entity_ref: userEntityRef }).whereNull('revoked_at').update({ revoked_at: this.clock() });
    this.revoked(n);
    return n > 0;
  }

  /** Ends the session a cookie value names (sign out); false when there was none. */
  async revokeSecret(secret: string): Promise<boolean> {
    const n = await this.db('sessions')
      .where({ secret_hash: hashSecret(secret) })
      .whereNull('revoked_at')
      .update({ revoked_at: this.clock() });
    this.revoked(n);
    return n > 0;
  }

  /** Ends every session of a user (sign out everywhere); returns how many ended. */
  async revokeAll(userEntityRef: string): Promise<number> {
    const n = await this.db('sessions').where({ user_entity_ref: userEntityRef }).whereNull('revoked_at').update({ revoked_at: this.clock() });
    this.revoked(n);
    return n;
  }

  /** Deletes sessions that ended more than a day ago. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.clock().getTime() - 24 * 3600_000);
    return this.db('sessions')
      .where('expires_at', '<', cutoff)
      .orWhere('revoked_at', '<', cutoff)
      .orWhere('last_seen_at', '<', new Date(cutoff.getTime() - this.lifetimes.idleMs))
      .delete();
  }

  private isLive(row: SessionRow): boolean {
    const now = this.clock().getTime();
    return !row.revoked_at && now < new Date(row.expires_at).getTime() && now < new Date(row.last_seen_at).getTime() + this.lifetimes.idleMs;
  }

  private toInfo(row: SessionRow): SessionInfo {
    const idleEnd = new Date(row.last_seen_at).getTime() + this.lifetimes.idleMs;
    return {
      id: row.id,
      userEntityRef: row.user_entity_ref,
      createdAt: new Date(row.created_at).toISOString(),
      lastSeenAt: new Date(row.last_seen_at).toISOString(),
      expiresAt: new Date(Math.min(idleEnd, new Date(row.expires_at).getTime())).toISOString(),
      userAgent: row.user_agent,
      ip: row.ip,
    };
  }
}
