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
    if (dataDir === ':memory:') {
      pglite = await (template ? PGlite.create({ loadDataDir: new Blob([fs.readFileSync(template.tarball)]) }) : PGlite.create());
    } else {
      if (!hasPgliteDatabase(dataDir)) {
        if (template) copyPgliteTemplate(template, dataDir);
        else await initPgliteDataDir(dataDir);
      }
      pglite = await PGlite.create(dataDir);
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
