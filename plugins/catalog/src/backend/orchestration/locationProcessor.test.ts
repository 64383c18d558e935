import { testDatabaseKinds } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocationsStore } from '../store/locationsStore.js';
import { component, yamlDocs, type CatalogTestkit } from '../testing/catalogTestkit.testing.js';
import { startOwnProcessor, type OwnProcessor } from '../testing/ownProcessor.testing.js';
import type { LocationProcessor } from './locationProcessor.js';

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}
const WARN = 40;

/** Processing problems reach the log at warn level, with the reasons, not just a count. */
describe.each(testDatabaseKinds())('processing logs on %s', (database) => {
  let own: OwnProcessor;
  let kit: CatalogTestkit;
  let db: Knex;
  let processor: LocationProcessor;
  let locations: LocationsStore;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
    own = await startOwnProcessor(database, logger, { replicaId: 'logging-test' });
    ({ kit, db, locations, processor } = own);
  });
  afterAll(async () => own?.stop());

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
