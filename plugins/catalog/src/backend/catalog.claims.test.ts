import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { testDatabaseKinds } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocationsStore } from './store/locationsStore.js';
import { component, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

const LEASE = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exists = async (kit: CatalogTestkit, name: string) => (await kit.json(`/entities/by-name/component/default/${name}`)).status === 200;

/**
 * A location is claimed by the replica reading it. The claim is short (catalog.locationLeaseSeconds)
 * and renewed while the read goes on, so a replica that dies holds nothing for long.
 */
describe.each(testDatabaseKinds())('location claims on %s', (database) => {
  let kit: CatalogTestkit;
  let db: Knex;
  let store: LocationsStore;
  beforeAll(async () => {
    kit = await startCatalog(database, { catalog: { locationLeaseSeconds: LEASE, readers: { allowPrivateNetworks: true } } });
    db = await kit.backend.backend.database.forSchema('catalog');
    // The same store a (now dead) replica would have used, with the same lease.
    store = new LocationsStore(db, LEASE);
  });
  afterAll(async () => {
    if (database === 'postgres') await db?.destroy();
    await kit?.stop();
  });

  it('reads a location again soon after the replica that claimed it died', async () => {
    const file = kit.write('crash.yaml', yamlDocs(component('before-crash')));
    const res = await kit.json('/locations', { method: 'POST', body: { type: 'file', target: file } });
    expect(res.status).toBe(201);
    const id = res.body.location.id as string;

    // A replica claims the location, then dies without releasing it or renewing the claim.
    expect(await store.claim('crashed-replica', 3600, id)).toBeDefined();
    kit.write('crash.yaml', yamlDocs(component('after-crash')));
    await store.requestRefresh(id);
    // While the claim holds nobody else may take it.
    expect(await store.claim('someone-else', 3600, id)).toBeUndefined();

    // Once the short lease has run out, the live replica reads it.
    await kit.waitFor(() => exists(kit, 'after-crash'));
    expect(await exists(kit, 'before-crash')).toBe(false);
  });

  describe('a read that takes longer than the lease', () => {
    let server: http.Server | undefined;
    afterEach(() => server?.close());

    it('keeps its claim through heartbeats', async () => {
      let arrived!: () => void;
      const requested = new Promise<void>((r) => (arrived = r));
      let respond!: () => void;
      const released = new Promise<void>((r) => (respond = r));
      server = http.createServer((_req, res) => {
        arrived();
        void released.then(() => res.end(yamlDocs(component('slow-one'))));
      });
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/catalog-info.yaml`;

      const registering = kit.json('/locations', { method: 'POST', body: { type: 'url', target: url } });
      await requested;
      const [row] = (await db('locations').where({ target: url }).select('id')) as Array<{ id: string }>;
      // Well past the lease, the read is still going on and still holds the location.
      await sleep(LEASE * 2500);
      expect(await store.claim('someone-else', 3600, row!.id)).toBeUndefined();
      respond();
      expect((await registering).status).toBe(201);
      expect(await exists(kit, 'slow-one')).toBe(true);
      // Finished: the claim is released at once.
      expect(await store.claim('someone-else', 3600, row!.id)).toBeDefined();
      await store.release(row!.id, 'someone-else');
    });
  });
});

describe('location claims on an embedded database that restarts', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-claims-'));
  const backend = { dataDir: path.join(home, 'data'), database: { client: 'pglite', connection: path.join(home, 'pg') } };
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('reads at once the locations a stopped process had claimed, whatever their lease', async () => {
    // A lease far longer than the test: only releasing the claims at start can make this pass.
    const catalog = { locationLeaseSeconds: 3600 };
    const first = await startCatalog('pglite', { dir: home, backend, catalog });
    const file = first.write('restart.yaml', yamlDocs(component('before-restart')));
    const res = await first.json('/locations', { method: 'POST', body: { type: 'file', target: file } });
    expect(res.status).toBe(201);
    const db = await first.backend.backend.database.forSchema('catalog');
    const store = new LocationsStore(db, 3600);
    expect(await store.claim('process-about-to-die', 3600, res.body.location.id)).toBeDefined();
    await store.requestRefresh(res.body.location.id);
    await first.stop();

    first.write('restart.yaml', yamlDocs(component('after-restart')));
    const second = await startCatalog('pglite', { dir: home, backend, catalog });
    try {
      await second.waitFor(() => exists(second, 'after-restart'));
    } finally {
      await second.stop();
    }
  });
});
