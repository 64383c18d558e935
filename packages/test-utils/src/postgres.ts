import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server tests may use, from ATRIUM_TEST_POSTGRES_URL; undefined means embedded only. */
export function testPostgresUrl(): string | undefined {
  return process.env['ATRIUM_TEST_POSTGRES_URL'] || undefined;
}

export type TestDatabaseKind = 'pglite' | 'postgres';

let warned = false;
/** The databases integration tests run on: always PGlite, plus Postgres when a server is configured. */
export function testDatabaseKinds(): TestDatabaseKind[] {
  if (testPostgresUrl()) return ['pglite', 'postgres'];
  if (!warned) {
    warned = true;
    console.warn('[test-utils] ATRIUM_TEST_POSTGRES_URL is not set: integration tests run on embedded PGlite only, Postgres is skipped.');
  }
  return ['pglite'];
}

export interface TestPostgresDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates a fresh, uniquely named database on the test server; drop() removes it. */
export async function createTestPostgresDatabase(): Promise<TestPostgresDatabase> {
  const serverUrl = testPostgresUrl();
  if (!serverUrl) throw new Error('ATRIUM_TEST_POSTGRES_URL is not set');
  const name = `atrium_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin(serverUrl, (c) => c.query(`create database "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withAdmin(serverUrl, (c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}

async function withAdmin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
