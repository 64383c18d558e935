import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Knex } from 'knex';
import { StartupError } from '../host/StartupError.js';
import type { Database } from './Database.js';
import { lockDataDir } from './dataDirLock.js';
import { hasPgliteDatabase, initPgliteDataDir } from './initPgliteDataDir.js';
import { createPgliteKnex, sharePglite } from './pgliteKnex.js';
import { copyPgliteTemplate, readPgliteTemplate, type PgliteTemplate } from './pgliteTemplate.js';

export interface OpenPgliteOptions {
  /** The template a new database is made from (see pgliteTemplate.ts); the build's by default, null for initdb. */
  template?: PgliteTemplate | null;
  /** Postgres' shared_buffers (e.g. `48MB`); DEFAULT_PGLITE_SHARED_BUFFERS when absent. */
  sharedBuffers?: string;
}

/**
 * The embedded engine's page cache. Postgres' default (128MB) is sized for a server of its own;
 * embedded, the cache lives in this process's memory for good once a bulk load has filled it.
 * 48MB measured 70–150 MiB less resident memory over a 10k-component ingest (bench/RESULTS.md,
 * session 11) and no difference in time the runs could show.
 */
export const DEFAULT_PGLITE_SHARED_BUFFERS = '48MB';

/** PGlite's own start parameters plus ours. */
function startParams(sharedBuffers: string): string[] {
  return [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`];
}

/**
 * Opens embedded Postgres in `dataDir` (created when missing), or in memory for `:memory:`. A
 * new database is a copy of the build's empty template when there is one, else made by initdb.
 */
export async function openPglite(dataDir: string | ':memory:', options: OpenPgliteOptions = {}): Promise<Database> {
  let unlock = () => {};
  if (dataDir !== ':memory:') {
    try {
      fs.mkdirSync(dataDir, { recursive: true });
      fs.accessSync(dataDir, fs.constants.W_OK);
    } catch (e) {
      throw new StartupError(
        `The embedded database directory ${dataDir} cannot be created or written: ${(e as Error).message}. ` +
          `Fix its permissions, or set backend.database.connection.directory to a writable path.`,
      );
    }
    unlock = lockDataDir(dataDir);
  }
  let pglite: PGlite;
  try {
    const template = options.template === undefined ? readPgliteTemplate() : options.template;
    const params = startParams(options.sharedBuffers ?? DEFAULT_PGLITE_SHARED_BUFFERS);
    if (dataDir === ':memory:') {
      pglite = await PGlite.create({ startParams: params, ...(template ? { loadDataDir: new Blob([fs.readFileSync(template.tarball)]) } : {}) });
    } else {
      if (!hasPgliteDatabase(dataDir)) {
        if (template) copyPgliteTemplate(template, dataDir);
        else await initPgliteDataDir(dataDir);
      }
      pglite = await PGlite.create(dataDir, { startParams: params });
    }
  } catch (e) {
    unlock();
    throw new StartupError(
      `The embedded database in ${dataDir} could not be opened: ${(e as Error).message}. ` +
        `If the directory holds data from another program or a newer version, move it aside and start again.`,
    );
  }
  const version = (await pglite.query<{ version: string }>('select version()')).rows[0]?.version ?? 'unknown';
  const shared = sharePglite(pglite);
  const knexes: Knex[] = [];
  return {
    info: { mode: 'embedded', location: dataDir === ':memory:' ? ':memory:' : path.resolve(dataDir), serverVersion: version },
    // One process owns the directory (lock file), so there is nobody to wait for.
    withStartupLock: (fn) => fn(),
    async forSchema(schema) {
      await pglite.exec(`create schema if not exists "${schema}"`);
      const knex = createPgliteKnex(shared, [schema, 'public']);
      knexes.push(knex);
      return knex;
    },
    async close() {
      for (const k of knexes) await k.destroy();
      await pglite.close();
      unlock();
    },
  };
}
