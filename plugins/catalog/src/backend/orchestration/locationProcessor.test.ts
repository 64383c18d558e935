import { testDatabaseKinds } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCatalogSettings } from '../config.js';
import { EntityWriter } from '../store/entityWriter.js';
import { LocationsStore } from '../store/locationsStore.js';
import { component, startCatalog, yamlDocs, type CatalogTestkit } from '../testing/catalogTestkit.testing.js';
import { CatalogEvents } from './catalogEvents.js';
import { LocationProcessor } from './locationProcessor.js';

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}
const WARN = 40;

/** Processing problems reach the log at warn level, with the reasons, not just a count. */
describe.each(testDatabaseKinds())('processing logs on %s', (database) => {
  let kit: CatalogTestkit;
  let db: Knex;
  let processor: LocationProcessor;
  let locations: LocationsStore;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    // The plugin's own processing loop ticks once at start, then (idle) not again during the test.
    kit = await startCatalog(database, { catalog: { processingPollMs: 600_000 } });
    db = await kit.backend.backend.database.forSchema('catalog');
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
    const settings = resolveCatalogSettings(
      {
        locations: [],
        kinds: [],
        orphanStrategy: 'delete',
        refreshIntervalSeconds: 3600,
        processingPollMs: 100,
        readers: { allowPrivateNetworks: false, fileRoots: [kit.dir] },
      },
      () => kit.dir,
      { dataDir: kit.dir, embeddedDatabase: database === 'pglite', homeDir: kit.dir },
    );
    locations = new LocationsStore(db);
    processor = new LocationProcessor({
      db,
      locations,
      writer: new EntityWriter(db),
      settings,
      events: new CatalogEvents(kit.backend.backend.events.service(), logger),
      logger,
      replicaId: 'logging-test',
    });
  });
  afterAll(async () => {
    processor?.stop();
    if (database === 'postgres') await db?.destroy();
    await kit?.stop();
  });

  it('warns about a location read with errors, saying what and where', async () => {
    const file = kit.write('bad.yaml', `${yamlDocs(component('fine'))}\n---\n${yamlDocs(component('broken', { lifecycle: 42 }))}`);
    const res = await kit.json('/locations', { method: 'POST', body: { type: 'file', target: file } });
    expect(res.status).toBe(201);
    await locations.requestRefresh(res.body.location.id);
    lines.length = 0;
    expect(await processor.processNow(res.body.location.id)).toBe(true);
    const warning = lines.find((l) => l.level === WARN && l.msg.includes(file));
    expect(warning?.msg).toMatch(/with 1 error: .*spec\.lifecycle/);
    expect(warning?.msg).toContain('component:default/broken');
    expect(warning?.['firstErrors']).toEqual([expect.objectContaining({ file, field: 'spec.lifecycle', entityRef: 'component:default/broken' })]);
  });

  it('warns about an entity that cannot be stitched, with the reason', async () => {
    const processed = { ...(component('fine') as { metadata: object }), metadata: { name: 'fine', namespace: 'default', description: 'a\u0000b' } };
    await db.raw(`update entities set processed = ?::json where entity_ref = ?`, [JSON.stringify(processed), 'component:default/fine']);
    await db.raw(`insert into stitch_queue (entity_ref) values (?) on conflict do nothing`, ['component:default/fine']);
    lines.length = 0;
    await processor.stitch();
    const [row] = (await db('entities').where({ entity_ref: 'component:default/fine' }).select('stitch_error')) as Array<{ stitch_error: string | null }>;
    expect(row?.stitch_error).toBeTruthy();
    const warning = lines.find((l) => l.level === WARN && l['entityRef'] === 'component:default/fine');
    expect(warning?.msg).toContain(row!.stitch_error!);
  });
});
