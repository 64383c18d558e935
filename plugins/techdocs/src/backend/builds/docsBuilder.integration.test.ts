import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { definePlugin, type Logger } from '@atrium/backend-plugin-api';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTechdocsSettings } from '../config.js';
import { techdocsMigrations } from '../migrations/index.js';
import { SearchIndex } from '../search/searchIndex.js';
import { DatabaseSiteStore } from '../store/databaseSiteStore.js';
import { DocsBuilder, type BuildOutcome } from './docsBuilder.js';
import { docsEntityInfo } from '../testing/docsEntityInfo.testing.js';
import { DocsEntities, type DocsEntityRow } from './docsEntities.js';

// The builder against a real database and real folders, with nothing else running: a stand-in
// plugin with the techdocs id and migrations hands out its knex.
describe.each(testDatabaseKinds())('TechDocs builder: a sync of many sources without docs (%s)', (database) => {
  let backend: TestBackend;
  let db: Knex;
  let logger: Logger;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-techdocs-builder-'));
    fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), '# the entities below point their dir:. here; it has no docs\n');
    fs.mkdirSync(path.join(dir, 'site', 'docs'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'site', 'docs', 'index.md'), '# Handbook\n\nThe one source with docs.\n');
    let captured: Knex | undefined;
    const schemaOnly = definePlugin({
      id: 'techdocs',
      migrations: techdocsMigrations,
      async setup({ db: knex, logger: pluginLogger }) {
        captured = knex;
        logger = pluginLogger;
      },
    });
    backend = await startTestBackend({ database, plugins: [schemaOnly] });
    db = captured!;
  });
  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const info = (name: string, techdocsRef: string) =>
    docsEntityInfo(name, {
      owner: 'group:default/team-a',
      specType: 'service',
      lifecycle: 'production',
      techdocsRef,
      locationRef: `file:${path.join(dir, 'catalog-info.yaml')}`,
    });

  it('records every outcome once, in few claims and few writes, and announces outcomes together', async () => {
    const entities = new DocsEntities(db);
    const names = Array.from({ length: 60 }, (_, i) => `no-docs-${String(i).padStart(2, '0')}`);
    await entities.upsertMany([...names.map((n) => info(n, 'dir:.')), info('handbook', 'dir:site')]);
    const calls = { claims: 0, finishes: 0 };
    const claimMany = entities.claimMany.bind(entities);
    const finishMany = entities.finishMany.bind(entities);
    entities.claimMany = async (...args: Parameters<DocsEntities['claimMany']>) => {
      const rows = await claimMany(...args);
      if (rows.length > 0) calls.claims++;
      return rows;
    };
    entities.finishMany = async (...args: Parameters<DocsEntities['finishMany']>) => {
      calls.finishes++;
      return finishMany(...args);
    };
    const announced: BuildOutcome[][] = [];
    const settings = resolveTechdocsSettings({ allowedRoots: [dir] }, { fileRoots: [], configLocationDirs: [] }, () => dir, dir);
    const builder = new DocsBuilder({
      entities,
      store: new DatabaseSiteStore(db),
      search: new SearchIndex(db),
      settings,
      logger,
      replicaId: 'replica-test',
      onFinished: (outcomes) => announced.push(outcomes),
    });
    builder.start();
    try {
      const deadline = Date.now() + 60_000;
      while (announced.flat().length < names.length + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await builder.idle();
    } finally {
      await builder.stop();
    }

    const outcomes = announced.flat();
    expect(outcomes).toHaveLength(names.length + 1);
    expect(new Set(outcomes.map((o) => o.entityRef)).size).toBe(names.length + 1);
    expect(outcomes.find((o) => o.entityRef === 'component:default/handbook')?.outcome).toBe('built');
    expect(outcomes.filter((o) => o.outcome === 'failed')).toHaveLength(names.length);
    // Quick failures are claimed and recorded in batches (claims double up to 16 while builds are quick).
    expect(calls.claims).toBeLessThan(names.length / 2);
    expect(calls.finishes).toBeLessThan(names.length / 2);
    expect(announced.length).toBe(calls.finishes);

    const rows = (await db('docs_entities').select('*')) as DocsEntityRow[];
    expect(rows).toHaveLength(names.length + 1);
    // The shared folder is read once per claim: later entities of the claim reuse that build's log.
    const reused = rows.filter((r) => JSON.stringify(r.log).includes('The same folder was found without docs for component:default/no-docs-'));
    expect(reused.length).toBeGreaterThan(names.length / 2);
    for (const row of rows) {
      expect(row.claimed_by, row.entity_ref).toBeNull();
      expect(row.build_requested_at, row.entity_ref).toBeNull();
      expect(row.last_build_finished_at, row.entity_ref).not.toBeNull();
      const log = typeof row.log === 'string' ? (JSON.parse(row.log) as Array<{ level: string; message: string }>) : row.log;
      if (row.entity_ref === 'component:default/handbook') {
        expect(row.last_result).toBe('built');
        expect(row.site_name).toBe('handbook');
        expect(row.error_count).toBe(0);
      } else {
        expect(row.last_result, row.entity_ref).toBe('failed');
        expect(row.error_count, row.entity_ref).toBe(1);
        expect(
          log.some((e) => e.level === 'error' && e.message.includes('No Markdown files')),
          row.entity_ref,
        ).toBe(true);
      }
    }
  });

  it('records nothing for a build whose claim another replica holds now', async () => {
    const entities = new DocsEntities(db);
    await entities.upsertMany([info('contested', 'dir:.')]);
    const [claimed] = await entities.claimMany('replica-a', 60, 5);
    expect(claimed?.entity_ref).toBe('component:default/contested');
    // The lease ran out and replica-b took the build over.
    await db('docs_entities').where({ entity_ref: 'component:default/contested' }).update({ claimed_by: 'replica-b' });
    await entities.finishMany('replica-a', [
      {
        entityRef: 'component:default/contested',
        outcome: 'failed',
        durationMs: 5,
        log: [{ level: 'error', message: 'late' }],
        sourceHash: null,
        revision: null,
        siteName: null,
      },
    ]);
    const row = (await db('docs_entities').where({ entity_ref: 'component:default/contested' }).first()) as DocsEntityRow;
    expect(row.claimed_by).toBe('replica-b');
    expect(row.last_result).toBeNull();
  });

  it('gives claimed builds back, still forced when they were, and only those it holds', async () => {
    const entities = new DocsEntities(db);
    await entities.upsertMany([info('given-back', 'dir:.'), info('given-back-forced', 'dir:.'), info('held-elsewhere', 'dir:.')]);
    await entities.requestBuild('component:default/given-back-forced', true);
    const claimed = await entities.claimMany('replica-a', 60, 10);
    // The forced request first; the other two were queued by one statement (at the same time).
    expect(claimed[0]?.entity_ref).toBe('component:default/given-back-forced');
    expect(claimed.map((r) => r.entity_ref).sort()).toEqual([
      'component:default/given-back',
      'component:default/given-back-forced',
      'component:default/held-elsewhere',
    ]);
    await db('docs_entities').where({ entity_ref: 'component:default/held-elsewhere' }).update({ claimed_by: 'replica-b' });
    await entities.release(
      claimed.map((r) => ({ entityRef: r.entity_ref, force: r.requested_force })),
      'replica-a',
    );
    const rows = (await db('docs_entities')
      .whereIn(
        'entity_ref',
        claimed.map((r) => r.entity_ref),
      )
      .orderBy('entity_ref')) as DocsEntityRow[];
    expect(rows.map((r) => [r.entity_ref, r.claimed_by, r.build_requested_at !== null, r.force_build])).toEqual([
      ['component:default/given-back', null, true, false],
      ['component:default/given-back-forced', null, true, true],
      ['component:default/held-elsewhere', 'replica-b', false, false],
    ]);
  });
});
