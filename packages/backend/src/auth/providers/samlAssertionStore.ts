import type { Knex } from 'knex';

/**
 * Remembers the IDs of SAML assertions already used to sign in, until they expire, so the same
 * assertion cannot sign in twice (a captured POST replayed). `claim` answers false for an ID it
 * has seen and that has not expired yet.
 */
export interface SamlAssertionStore {
  claim(input: { providerId: string; assertionId: string; expiresAt: Date; now: Date }): Promise<boolean>;
}

/** Per process: enough for one replica; with several, use the database store. */
export function createMemoryAssertionStore(): SamlAssertionStore {
  const seen = new Map<string, number>();
  return {
    async claim({ providerId, assertionId, expiresAt, now }) {
      const t = now.getTime();
      for (const [k, until] of seen) if (until <= t) seen.delete(k);
      const key = `${providerId}\n${assertionId}`;
      if (seen.has(key)) return false;
      seen.set(key, expiresAt.getTime());
      return true;
    },
  };
}

/**
 * In the auth schema's `saml_assertions` table (samlMigrations.ts): every replica sees an
 * assertion another one used. The primary key makes the claim atomic across replicas.
 */
export function createDatabaseAssertionStore(knex: Knex, table = 'saml_assertions'): SamlAssertionStore {
  return {
    async claim({ providerId, assertionId, expiresAt, now }) {
      await knex(table).where('expires_at', '<=', now).delete();
      const inserted = await knex(table)
        .insert({ provider_id: providerId, assertion_id: assertionId, expires_at: expiresAt, used_at: now })
        .onConflict(['provider_id', 'assertion_id'])
        .ignore()
        .returning('assertion_id');
      return inserted.length === 1;
    },
  };
}
