import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventEnvelope } from '@atrium/backend-plugin-api';
import { createTestPostgresDatabase, testPostgresUrl } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntityUpserted, type EntityUpsertedEvent } from '../common/index.js';
import { component, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

describe.skipIf(!testPostgresUrl())('two catalog replicas on one Postgres', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-replicas-'));
  const files = ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml', 'e.yaml', 'f.yaml'];
  const received: EventEnvelope<EntityUpsertedEvent>[] = [];
  let a: CatalogTestkit;
  let b: CatalogTestkit;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestPostgresDatabase();
    drop = db.drop;
    const catalog = {
      refreshIntervalSeconds: 1,
      locations: files.map((f) => ({ type: 'file', target: `./${f}`, presence: 'optional' })),
    };
    a = await startCatalog('postgres', { postgresUrl: db.url, replicaId: 'replica-a', dir, catalog });
    // B parses on its main thread (readWorkers: 0), A on a worker thread (the default).
    b = await startCatalog('postgres', { postgresUrl: db.url, replicaId: 'replica-b', dir, catalog: { ...catalog, readWorkers: 0 } });
    // Replica A hears its own events in-process and B's through LISTEN/NOTIFY.
    a.backend.backend.events.subscribe(catalogEntityUpserted.name, (e) => {
      received.push(e as EventEnvelope<EntityUpsertedEvent>);
    });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await drop?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('share the locations and process each change once', async () => {
    files.forEach((f, i) => a.write(f, yamlDocs(...Array.from({ length: 20 }, (_, j) => component(`svc-${i}-${j}`)))));
    await a.waitFor(async () => (await a.json('/entities/by-query?filter=kind=component&limit=0')).body.totalItems === 120, 30_000);
    // Several more refresh ticks pass with nothing changed.
    await new Promise((r) => setTimeout(r, 2500));
    const componentEvents = received.filter((e) => e.payload.entityRef.startsWith('component:'));
    const perRef = new Map<string, number>();
    for (const e of componentEvents) perRef.set(e.payload.entityRef, (perRef.get(e.payload.entityRef) ?? 0) + 1);
    expect(perRef.size).toBe(120);
    expect([...perRef.values()].every((n) => n === 1)).toBe(true);
    // Both replicas serve the same data.
    const fromB = await b.json('/entities/by-name/component/default/svc-3-7');
    expect(fromB.status).toBe(200);
    expect(fromB.body.metadata.uid).toBe((await a.json('/entities/by-name/component/default/svc-3-7')).body.metadata.uid);

    // Facets (cached per replica until the catalog changes) follow a change made on either replica.
    const lifecycles = async (kit: typeof a) => (await kit.json('/entity-facets?facet=spec.lifecycle&filter=kind=component')).body.facets['spec.lifecycle'];
    expect(await lifecycles(b)).toEqual([{ value: 'production', count: 120 }]);

    // A change is picked up by whichever replica claims the location next, once.
    received.length = 0;
    a.write('c.yaml', yamlDocs(...Array.from({ length: 20 }, (_, j) => component(`svc-2-${j}`, j === 0 ? { lifecycle: 'deprecated' } : {}))));
    await a.waitFor(async () => (await b.json('/entities/by-name/component/default/svc-2-0')).body.spec.lifecycle === 'deprecated', 15_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(received.filter((e) => e.payload.entityRef === 'component:default/svc-2-0')).toHaveLength(1);
    expect(received.filter((e) => e.payload.entityRef.startsWith('component:'))).toHaveLength(1);
    const expected = [
      { value: 'production', count: 119 },
      { value: 'deprecated', count: 1 },
    ];
    expect(await lifecycles(a)).toEqual(expected);
    expect(await lifecycles(b)).toEqual(expected);
  });
});
