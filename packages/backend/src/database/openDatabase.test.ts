import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigBundle } from '../config/ConfigBundle.js';
import { isPostgresServer, openDatabase } from './openDatabase.js';
import { DEFAULT_PGLITE_SHARED_BUFFERS } from './openPglite.js';
import { toPgConfig } from './openPostgres.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-opendb-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the embedded database directory', () => {
  it('is <backend.dataDir>/data when no directory is configured', async () => {
    const config = ConfigBundle.fromObject({ backend: { dataDir: 'state', database: { client: 'pglite' } } }, dir, 'app-config.yaml');
    const db = await openDatabase(config);
    try {
      expect(db.info.location).toBe(path.join(dir, 'state', 'data'));
      expect(fs.existsSync(path.join(dir, 'state', 'data', 'PG_VERSION'))).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('stays .atrium/data beside the config file without a data directory (where existing installs have it)', async () => {
    const config = ConfigBundle.fromObject({ backend: { database: { client: 'pglite' } } }, dir, 'app-config.yaml');
    const db = await openDatabase(config);
    try {
      expect(db.info.location).toBe(path.join(dir, '.atrium', 'data'));
    } finally {
      await db.close();
    }
  });

  it(`keeps a ${DEFAULT_PGLITE_SHARED_BUFFERS} page cache unless backend.database.sharedBuffers says otherwise`, async () => {
    const show = async (database: Record<string, unknown>) => {
      const db = await openDatabase(
        ConfigBundle.fromObject({ backend: { database: { client: 'pglite', connection: ':memory:', ...database } } }, dir, 'app-config.yaml'),
      );
      try {
        const knex = await db.forSchema('probe');
        const result = (await knex.raw('show shared_buffers')) as { rows: Array<{ shared_buffers: string }> };
        return result.rows[0]?.shared_buffers;
      } finally {
        await db.close();
      }
    };
    expect(await show({})).toBe(DEFAULT_PGLITE_SHARED_BUFFERS);
    expect(await show({ sharedBuffers: '24MB' })).toBe('24MB');
  });

  it('refuses a page cache smaller than Postgres allows, naming the key and its file', async () => {
    const config = ConfigBundle.fromObject(
      { backend: { database: { client: 'pglite', connection: ':memory:', sharedBuffers: '64kB' } } },
      dir,
      'app-config.yaml',
    );
    await expect(openDatabase(config)).rejects.toThrow(
      /app-config\.yaml.*backend\.database\.sharedBuffers is 64kB; the embedded database needs at least 128kB/,
    );
  });

  it('follows an explicit directory, relative to the file that set it', async () => {
    const config = ConfigBundle.fromObject(
      { backend: { dataDir: 'state', database: { client: 'pglite', connection: { directory: 'elsewhere/db' } } } },
      dir,
      'app-config.yaml',
    );
    const db = await openDatabase(config);
    try {
      expect(db.info.location).toBe(path.join(dir, 'elsewhere', 'db'));
    } finally {
      await db.close();
    }
  });
});

describe('a Postgres server given as the connection', () => {
  it('is recognised without client: pg (a URL or a server object), and a directory is not', () => {
    expect(isPostgresServer('postgres://postgres@127.0.0.1:5432/atrium')).toBe(true);
    expect(isPostgresServer(' postgresql://db.internal/atrium')).toBe(true);
    expect(isPostgresServer({ host: 'db.internal', database: 'atrium' })).toBe(true);
    expect(isPostgresServer({ directory: 'state/db' })).toBe(false);
    expect(isPostgresServer('state/db')).toBe(false);
    expect(isPostgresServer(':memory:')).toBe(false);
    expect(isPostgresServer(undefined)).toBe(false);
  });

  it('is refused with client: pglite, saying what to set, instead of becoming a directory named "postgres:"', async () => {
    const config = ConfigBundle.fromObject(
      { backend: { database: { client: 'pglite', connection: 'postgres://postgres@127.0.0.1:1/atrium' } } },
      dir,
      'app-config.yaml',
    );
    await expect(openDatabase(config)).rejects.toThrow(/client is "pglite" \(embedded\) but backend\.database\.connection names a Postgres server.*"pg"/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('without client is opened as a server (here: none listens, so the error names the server)', async () => {
    const config = ConfigBundle.fromObject(
      { backend: { database: { connection: 'postgres://postgres@127.0.0.1:1/atrium', connectTimeoutSeconds: 1 } } },
      dir,
      'app-config.yaml',
    );
    await expect(openDatabase(config)).rejects.toThrow(/127\.0\.0\.1/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

const postgresUrl = process.env['ATRIUM_TEST_POSTGRES_URL'];
describe.skipIf(!postgresUrl)('a Postgres server that offers lz4', () => {
  /** The compression a plugin's connection uses, and whether the server offers lz4. */
  const compressionOf = async (connection: unknown) => {
    const db = await openDatabase(ConfigBundle.fromObject({ backend: { database: { client: 'pg', connection } } }, dir, 'app-config.yaml'));
    try {
      const knex = await db.forSchema('atrium_probe_lz4');
      const offered = (await knex.raw(`select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`)) as {
        rows: Array<{ lz4: boolean }>;
      };
      const shown = (await knex.raw('show default_toast_compression')) as { rows: Array<{ default_toast_compression: string }> };
      const jit = (await knex.raw('show jit')) as { rows: Array<{ jit: string }> };
      await knex.raw('drop schema if exists atrium_probe_lz4');
      return { offered: offered.rows[0]?.lz4 === true, used: shown.rows[0]?.default_toast_compression, jit: jit.rows[0]?.jit };
    } finally {
      await db.close();
    }
  };

  it('compresses what every plugin stores with lz4 (checked on a plugin schema connection)', async () => {
    const { offered, used } = await compressionOf(postgresUrl);
    expect(used).toBe(offered ? 'lz4' : 'pglz');
  });

  it('keeps the compression the connection options choose', async () => {
    expect((await compressionOf({ connectionString: postgresUrl, options: '-c default_toast_compression=pglz' })).used).toBe('pglz');
  });

  it('turns JIT compilation off on every plugin connection, unless the connection options choose it', async () => {
    expect((await compressionOf(postgresUrl)).jit).toBe('off');
    expect((await compressionOf({ connectionString: postgresUrl, options: '-c jit=on' })).jit).toBe('on');
  });
});

describe('toPgConfig', () => {
  it('leaves an empty password out, so PGPASSWORD, ~/.pgpass or passwordless auth apply', () => {
    expect(toPgConfig({ host: 'db', user: 'atrium', password: '' })).toEqual({ host: 'db', user: 'atrium' });
    expect(toPgConfig({ host: 'db', password: 's3cret' })).toEqual({ host: 'db', password: 's3cret' });
  });
});
