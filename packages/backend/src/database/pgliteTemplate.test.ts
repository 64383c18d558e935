import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPgliteDatabase } from './initPgliteDataDir.js';
import { openPglite } from './openPglite.js';
import { copyPgliteTemplate, ensurePgliteTemplate, pgliteVersion, readPgliteTemplate, type PgliteTemplate } from './pgliteTemplate.js';

let root: string;
let templateDir: string;
let template: PgliteTemplate;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-pglite-template-'));
  templateDir = path.join(root, 'template');
  expect(readPgliteTemplate(templateDir)).toBeNull();
  expect(await ensurePgliteTemplate(templateDir)).toBe(true);
  const made = readPgliteTemplate(templateDir);
  if (!made) throw new Error('no template after ensurePgliteTemplate');
  template = made;
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function roundTrip(open: () => ReturnType<typeof openPglite>, value: number): Promise<number[]> {
  const db = await open();
  try {
    const knex = await db.forSchema('probe');
    await knex.raw('create table if not exists kept (v int)');
    await knex.raw('insert into kept values (?)', [value]);
    return ((await knex.raw('select v from kept order by v')) as { rows: Array<{ v: number }> }).rows.map((r) => r.v);
  } finally {
    await db.close();
  }
}

describe('the embedded database template', () => {
  it('is made once, with the PGlite version that made it, and found again', async () => {
    expect(template).toEqual({ dir: path.join(templateDir, 'data'), tarball: path.join(templateDir, 'data.tar.gz') });
    expect(hasPgliteDatabase(template.dir)).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(templateDir, 'template.json'), 'utf8')).pglite).toBe(pgliteVersion());
    expect(await ensurePgliteTemplate(templateDir)).toBe(false);
    expect(fs.readdirSync(root)).toEqual(['template']);
  });

  it('is ignored when another PGlite version made it, or when a part is missing', () => {
    const other = path.join(root, 'other');
    fs.cpSync(templateDir, other, { recursive: true });
    fs.writeFileSync(path.join(other, 'template.json'), JSON.stringify({ pglite: '0.0.1' }));
    expect(readPgliteTemplate(other)).toBeNull();
    fs.writeFileSync(path.join(other, 'template.json'), JSON.stringify({ pglite: pgliteVersion() }));
    expect(readPgliteTemplate(other)).not.toBeNull();
    fs.rmSync(path.join(other, 'data.tar.gz'));
    expect(readPgliteTemplate(other)).toBeNull();
    fs.rmSync(other, { recursive: true });
  });

  it('becomes a new data directory that keeps its data, and leaves the template as it was', async () => {
    const before = fs.readFileSync(path.join(template.dir, 'global', 'pg_control'));
    const data = path.join(root, 'data');
    expect(await roundTrip(() => openPglite(data, { template }), 1)).toEqual([1]);
    expect(hasPgliteDatabase(data)).toBe(true);
    expect(await roundTrip(() => openPglite(data, { template }), 2)).toEqual([1, 2]);
    expect(fs.readFileSync(path.join(template.dir, 'global', 'pg_control')).equals(before)).toBe(true);
    expect(fs.existsSync(path.join(template.dir, 'base'))).toBe(true);
  }, 120_000);

  it('copies again over a copy that was cut short (no PG_VERSION yet)', async () => {
    const data = path.join(root, 'cut-short');
    copyPgliteTemplate(template, data);
    fs.rmSync(path.join(data, 'PG_VERSION'));
    fs.rmSync(path.join(data, 'base'), { recursive: true });
    expect(await roundTrip(() => openPglite(data, { template }), 7)).toEqual([7]);
  }, 120_000);

  it('loads into an in-memory database', async () => {
    expect(await roundTrip(() => openPglite(':memory:', { template }), 3)).toEqual([3]);
  }, 120_000);
});
