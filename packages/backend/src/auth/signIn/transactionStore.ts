import type { Knex } from 'knex';
import type { SignInTransaction } from '../providers/types.js';
import type { Clock } from '../clock.js';
import { hashSecret, newSessionSecret } from '../secrets.js';

/** How long a started sign-in may take before its `state` is refused. */
export const SIGN_IN_TRANSACTION_MS = 10 * 60_000;

/** A started sign-in, as the callback gets it back (once). */
export interface StoredSignIn {
  providerId: string;
  transaction: SignInTransaction;
  returnTo: string;
  /** sha256 of the browser-binding cookie value set at start, if any. */
  bindingHash: string | null;
}

interface Row {
  state_hash: string;
  provider_id: string;
  transaction: SignInTransaction | string;
  return_to: string;
  binding_hash: string | null;
  created_at: Date;
  expires_at: Date;
}

/**
 * Started sign-ins in Postgres (`atrium_auth.sign_in_transactions`), keyed by the sha256 of
 * their `state`. `take` deletes the row it returns, so a `state` works once, on any replica.
 */
export class SignInTransactionStore {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
  ) {}

  /** A fresh random `state` (32 bytes, base64url); only its hash is stored. */
  newState(): string {
    return newSessionSecret();
  }

  async save(state: string, entry: StoredSignIn): Promise<void> {
    const now = this.clock();
    // Abandoned sign-ins are cleared as new ones start: the table stays small without a job.
    await this.db('sign_in_transactions').where('expires_at', '<', now).delete();
    await this.db('sign_in_transactions').insert({
      state_hash: hashSecret(state),
      provider_id: entry.providerId,
      transaction: JSON.stringify(entry.transaction),
      return_to: entry.returnTo,
      binding_hash: entry.bindingHash,
      created_at: now,
      expires_at: new Date(now.getTime() + SIGN_IN_TRANSACTION_MS),
    } satisfies Row);
  }

  /**
   * The sign-in a `state` names for this provider, deleted in the same statement (single use);
   * undefined when unknown, already used, for another provider, or expired.
   */
  async take(state: string, providerId: string): Promise<StoredSignIn | undefined> {
    const rows = (await this.db('sign_in_transactions')
      .where({ state_hash: hashSecret(state) })
      .delete()
      .returning('*')) as Row[];
    const row = rows[0];
    if (!row || row.provider_id !== providerId || new Date(row.expires_at).getTime() <= this.clock().getTime()) return undefined;
    const transaction = typeof row.transaction === 'string' ? (JSON.parse(row.transaction) as SignInTransaction) : row.transaction;
    return { providerId: row.provider_id, transaction, returnTo: row.return_to, bindingHash: row.binding_hash };
  }
}
