import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasPgliteDatabase, initPgliteDataDir } from './initPgliteDataDir.js';
import { openPglite } from './openPglite.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-pglite-init-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('creating the embedded database in a child process', () => {
  it('creates the database in an empty directory, which the server then opens and keeps its data in', async () => {
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    expect(hasPgliteDatabase(data)).toBe(false);
    await initPgliteDataDir(data);
    expect(hasPgliteDatabase(data)).toBe(true);

    const db = await openPglite(data);
    try {
      const knex = await db.forSchema('probe');
      await knex.raw('create table kept (v int)');
      await knex.raw('insert into kept values (42)');
    } finally {
      await db.close();
    }
    const again = await openPglite(data);
    try {
      const knex = await again.forSchema('probe');
      expect(((await knex.raw('select v from kept')) as { rows: Array<{ v: number }> }).rows).toEqual([{ v: 42 }]);
    } finally {
      await again.close();
    }
  }, 120_000);

  it('says why when the database cannot be created there', async () => {
    const file = path.join(dir, 'not-a-directory');
    fs.writeFileSync(file, 'x');
    await expect(initPgliteDataDir(path.join(file, 'data'))).rejects.toThrow(/creating the embedded database failed/);
  }, 120_000);
});
