import { createTestPostgresDatabase, testDatabaseKinds, type TestPostgresDatabase } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../database/Database.js';
import { openPglite } from '../../database/openPglite.js';
import { openPostgres } from '../../database/openPostgres.js';
import { createDatabaseAssertionStore, createMemoryAssertionStore, type SamlAssertionStore } from './samlAssertionStore.js';
import { samlMigrations } from './samlMigrations.js';

const T0 = new Date('2026-01-05T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** The contract every store keeps: an ID is claimed once until it expires, per provider. */
async function checkContract(store: SamlAssertionStore): Promise<void> {
  const claim = (assertionId: string, now: Date, providerId = 'saml') => store.claim({ providerId, assertionId, expiresAt: at(5), now });
  expect(await claim('_a1', T0)).toBe(true);
  expect(await claim('_a1', at(1))).toBe(false);
  expect(await claim('_a1', at(1), 'corp-saml')).toBe(true);
  expect(await claim('_a2', at(1))).toBe(true);
  // Past its expiry the assertion itself is refused as expired; its row may go.
  expect(await claim('_a1', at(6))).toBe(true);
}

describe('SAML assertion store in memory', () => {
  it('claims an assertion id once until it expires', () => checkContract(createMemoryAssertionStore()));
});

describe.each(testDatabaseKinds())('SAML assertion store on %s', (kind) => {
  let db: Database;
  let created: TestPostgresDatabase | undefined;
  beforeAll(async () => {
    if (kind === 'postgres') {
      created = await createTestPostgresDatabase();
      db = await openPostgres(created.url);
    } else db = await openPglite(':memory:');
    const knex = await db.forSchema('atrium_auth');
    for (const m of samlMigrations) await m.up(knex);
  });
  afterAll(async () => {
    await db?.close();
    await created?.drop();
  });

  it('claims an assertion id once until it expires', async () => {
    await checkContract(createDatabaseAssertionStore(await db.forSchema('atrium_auth')));
  });

  it('lets exactly one of two replicas claim the same assertion at once', async () => {
    const a = createDatabaseAssertionStore(await db.forSchema('atrium_auth'));
    const b = createDatabaseAssertionStore(await db.forSchema('atrium_auth'));
    const claims = await Promise.all([a, b, a, b].map((s) => s.claim({ providerId: 'saml', assertionId: '_race', expiresAt: at(5), now: T0 })));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});
