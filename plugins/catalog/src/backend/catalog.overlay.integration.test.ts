import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Caller } from '@atrium/backend-plugin-api';
import type { Entity } from '@atrium/catalog-model';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_STATUS_OVERLAY_TYPE, type CatalogService, type EntityOverlayResult, type EntityProviderConnection } from '../common/index.js';
import { catalogServiceRef } from './catalogService.js';
import { catalogPlugin } from './plugin.js';
import { component, group, yamlDocs } from './testing/catalogTestkit.testing.js';

/** Everyone reads; an entity's owners may annotate it. */
const POLICY = {
  rules: [
    { id: 'read', effect: 'allow', permissions: ['catalog.entity.read'] },
    { id: 'owners-annotate', effect: 'allow', permissions: ['catalog.entity.annotate'], conditions: { isEntityOwner: true } },
  ],
};

const user = (name: string, memberOf: string[]) => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name }, spec: { memberOf } });
const one = (extraAnnotations: Record<string, string> = {}, description = 'first') =>
  component('one', { owner: 'team-a' }, { description, annotations: { 'example.com/tier': 'gold', ...extraAnnotations }, labels: { tier: 'gold' } });
const files = (oneEntity: object, withTwo = true) =>
  yamlDocs(
    group('team-a'),
    group('team-b'),
    user('jdoe', ['team-a']),
    user('asmith', ['team-b']),
    oneEntity,
    ...(withTwo ? [component('two', { owner: 'team-a' })] : []),
  );
const service = (name: string): Caller => ({ type: 'service', userEntityRef: `plugin:${name}`, ownershipEntityRefs: [], displayName: name });
const person = (name: string, team: string): Caller => ({
  type: 'user',
  userEntityRef: `user:default/${name}`,
  ownershipEntityRefs: [`user:default/${name}`, `group:default/${team}`],
  displayName: name,
});

interface AuditRow {
  actor: string;
  action: string;
  target: string | null;
  outcome: string;
  meta: Record<string, unknown> | null;
  diff: unknown;
}
type ErrorBody = { error: { name: string; message: string; details?: { errors?: unknown[] } } };

describe.each(testDatabaseKinds())('catalog metadata overlays (%s)', (database) => {
  let b: TestBackend;
  let dir: string;
  let db: Knex;
  let catalog: CatalogService;
  const as: Record<string, Record<string, string>> = {};
  const api = <T>(who: string, p: string, init: Omit<Parameters<TestBackend['json']>[1] & object, 'headers'> = {}) =>
    b.json<T>(`/api/catalog${p}`, { ...init, headers: as[who] ?? {} });
  const overlay = <T = EntityOverlayResult>(who: string, name: string, body: unknown) =>
    api<T>(who, `/entities/by-name/component/default/${name}/overlay`, { method: 'POST', body });
  const entity = async (name: string) => (await api<Entity>('jdoe', `/entities/by-name/component/default/${name}`)).body;
  const audits = async () =>
    (
      await db.raw<{ rows: AuditRow[] }>(
        `select actor, action, target, outcome, meta, diff from atrium_host.audit_events where action like 'catalog.overlay.%' or action = 'permission.denied' order by id`,
      )
    ).rows;
  const overlayRows = async (ref: string) =>
    (
      await db.raw<{ rows: Array<{ source: string }> }>(
        `select o.source from entity_overlays o join entities e on e.id = o.entity_id where e.entity_ref = ? order by o.source`,
        [ref],
      )
    ).rows.map((r) => r.source);
  const rewrite = async (content: string) => {
    fs.writeFileSync(path.join(dir, 'c.yaml'), content);
    await catalog.refreshEntity('component:default/one');
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-catalog-overlay-'));
    fs.writeFileSync(path.join(dir, 'c.yaml'), files(one()));
    b = await startTestBackend({
      database,
      plugins: [catalogPlugin],
      configDir: dir,
      config: {
        backend: { reading: { fileRoots: [dir] } },
        catalog: { processingPollMs: 100, readers: { fileRoots: [dir] }, locations: [{ type: 'file', target: './c.yaml' }] },
        permission: { policy: POLICY },
      },
    });
    catalog = b.backend.service(catalogServiceRef);
    db = await b.backend.database.forSchema('catalog');
    for (const name of ['jdoe', 'asmith']) as[name] = { cookie: `atrium_session=${(await b.backend.auth.sessions.create(`user:default/${name}`)).secret}` };
    const end = Date.now() + 60_000;
    while ((await api('jdoe', '/entities/by-name/component/default/two')).status !== 200) {
      if (Date.now() > end) throw new Error('the entities never reached the catalog');
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 90_000);
  afterAll(async () => {
    await b?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sets annotations and labels on an entity a location owns: served at once, in its history, audited in the catalog', async () => {
    const set = await overlay('jdoe', 'one', { annotations: { 'example.com/oncall': 'ana' }, labels: { 'on-call': 'ana' } });
    expect(set.status).toBe(200);
    expect(set.body.overlay).toEqual({ source: 'api', annotations: { 'example.com/oncall': 'ana' }, labels: { 'on-call': 'ana' } });
    expect(set.body.entity?.metadata.annotations).toMatchObject({ 'example.com/oncall': 'ana', 'example.com/tier': 'gold' });
    const served = await entity('one');
    expect(served.metadata.annotations).toMatchObject({ 'example.com/oncall': 'ana', 'example.com/tier': 'gold' });
    expect(served.metadata.labels).toEqual({ tier: 'gold', 'on-call': 'ana' });
    expect(served.status).toBeUndefined();

    const history = await api<{ items: Array<{ topic: string; changes?: Array<{ path: string[]; old?: unknown; new?: unknown }> }> }>(
      'jdoe',
      '/entities/by-name/component/default/one/history',
    );
    expect(history.body.items[0]?.topic).toBe('catalog.entity.updated');
    expect(history.body.items[0]?.changes).toEqual(
      expect.arrayContaining([
        { path: ['metadata', 'annotations', 'example.com/oncall'], new: 'ana' },
        { path: ['metadata', 'labels', 'on-call'], new: 'ana' },
      ]),
    );

    // Another source (a plugin, through the service) has its own row; the same change again writes nothing.
    const bySource = await catalog.setEntityOverlay(
      'component:default/one',
      { labels: { team: 'a' } },
      { actor: service('probe'), source: 'automation:probe' },
    );
    expect(bySource.entity?.metadata.labels).toEqual({ tier: 'gold', 'on-call': 'ana', team: 'a' });
    await catalog.setEntityOverlay('component:default/one', { labels: { team: 'a' } }, { actor: service('probe'), source: 'automation:probe' });
    expect(await overlayRows('component:default/one')).toEqual(['api', 'automation:probe']);

    const records = (await audits()).filter((a) => a.action === 'catalog.overlay.update');
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ actor: 'user:default/jdoe', target: 'component:default/one', outcome: 'succeeded', meta: { source: 'api' } });
    expect(records[0]?.diff).toBeTruthy();
    expect(records[1]).toMatchObject({ actor: 'plugin:probe', meta: { source: 'automation:probe', changes: { labels: { team: 'a' } } } });
  });

  it('survives a re-read of the location, also when the descriptor changed', async () => {
    await rewrite(files(one({}, 'second')));
    const served = await entity('one');
    expect(served.metadata.description).toBe('second');
    expect(served.metadata.annotations).toMatchObject({ 'example.com/oncall': 'ana', 'example.com/tier': 'gold' });
    expect(served.metadata.labels).toEqual({ tier: 'gold', 'on-call': 'ana', team: 'a' });
  });

  it("never overrides a key the entity's source sets: such a change is refused (409, naming the file); a key the source adds later wins, with a warning", async () => {
    const refused = await overlay<ErrorBody>('jdoe', 'one', { annotations: { 'example.com/tier': 'silver' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/annotation example\.com\/tier is set to "gold" by the source\. .*read from file:.*c\.yaml, a descriptor file/);
    const removal = await overlay<ErrorBody>('jdoe', 'one', { labels: { tier: null } });
    expect(removal.status).toBe(409);
    expect(removal.body.error.message).toMatch(/label tier cannot be removed: the source sets it/);
    // Asking for the value the source already has is no conflict.
    expect((await overlay('jdoe', 'one', { annotations: { 'example.com/tier': 'gold', 'example.com/later': 'overlay' } })).status).toBe(200);
    expect((await entity('one')).metadata.annotations).toMatchObject({ 'example.com/tier': 'gold', 'example.com/later': 'overlay' });

    await rewrite(files(one({ 'example.com/later': 'file' }, 'second')));
    const shadowed = await entity('one');
    expect(shadowed.metadata.annotations?.['example.com/later']).toBe('file');
    expect(shadowed.status?.items).toEqual([
      expect.objectContaining({
        type: ENTITY_STATUS_OVERLAY_TYPE,
        level: 'warning',
        message: expect.stringMatching(/example\.com\/later: api sets "overlay"/),
      }),
    ]);

    await rewrite(files(one({}, 'second')));
    const back = await entity('one');
    expect(back.metadata.annotations?.['example.com/later']).toBe('overlay');
    expect(back.status).toBeUndefined();
  });

  it('removes a key (null) or everything a source set; each change audited, a change of nothing not', async () => {
    const removed = await overlay('jdoe', 'one', { annotations: { 'example.com/later': null, 'example.com/tier': null } });
    // Removing tier (set by the source) is refused even alongside a fine change: nothing is written.
    expect(removed.status).toBe(409);
    expect((await entity('one')).metadata.annotations?.['example.com/later']).toBe('overlay');
    expect((await overlay('jdoe', 'one', { annotations: { 'example.com/later': null } })).status).toBe(200);
    expect((await entity('one')).metadata.annotations).not.toHaveProperty('example.com/later');

    const before = (await audits()).length;
    const cleared = await api<EntityOverlayResult>('jdoe', '/entities/by-name/component/default/one/overlay?source=api', { method: 'DELETE' });
    expect(cleared.status).toBe(200);
    expect(cleared.body.overlay).toEqual({ source: 'api', annotations: {}, labels: {} });
    const served = await entity('one');
    expect(served.metadata.annotations).not.toHaveProperty('example.com/oncall');
    // The other source's label stays; the descriptor's own keys were never touched.
    expect(served.metadata.labels).toEqual({ tier: 'gold', team: 'a' });
    expect(await overlayRows('component:default/one')).toEqual(['automation:probe']);
    const after = await audits();
    expect(after.slice(before).map((a) => `${a.action} ${a.actor} ${String(a.meta?.['source'])}`)).toEqual(['catalog.overlay.delete user:default/jdoe api']);
    // Nothing left to clear: nothing written, nothing audited.
    expect((await api('jdoe', '/entities/by-name/component/default/one/overlay', { method: 'DELETE' })).status).toBe(200);
    expect(await audits()).toHaveLength(after.length);

    // An HTTP caller may clear a plugin's overlay (an automation deleted since), though not write one.
    const probeCleared = await api<EntityOverlayResult>('jdoe', '/entities/by-name/component/default/one/overlay?source=automation:probe', {
      method: 'DELETE',
    });
    expect(probeCleared.status).toBe(200);
    expect((await entity('one')).metadata.labels).toEqual({ tier: 'gold' });
    expect(await overlayRows('component:default/one')).toEqual([]);
    // A named API source has its own overlay.
    const named = await overlay<EntityOverlayResult>('jdoe', 'one', { source: 'api:pager-sync', labels: { paged: 'yes' } });
    expect(named.status).toBe(200);
    expect(named.body.overlay).toEqual({ source: 'api:pager-sync', annotations: {}, labels: { paged: 'yes' } });
    expect((await api('jdoe', '/entities/by-name/component/default/one/overlay?source=api:pager-sync', { method: 'DELETE' })).status).toBe(200);
    expect(await overlayRows('component:default/one')).toEqual([]);
  });

  it('is refused without catalog.entity.annotate (403 over HTTP, NotAllowedError in process), nothing written, the denial audited', async () => {
    const denied = await overlay<ErrorBody>('asmith', 'one', { annotations: { 'example.com/oncall': 'mallory' } });
    expect(denied.status).toBe(403);
    expect((await api('asmith', '/entities/by-name/component/default/one/overlay', { method: 'DELETE' })).status).toBe(403);
    await expect(
      catalog.setEntityOverlay(
        'component:default/one',
        { annotations: { 'example.com/oncall': 'mallory' } },
        { actor: person('asmith', 'team-b'), source: 'x' },
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect((await entity('one')).metadata.annotations).not.toHaveProperty('example.com/oncall');
    expect(await overlayRows('component:default/one')).toEqual([]);
    const denials = (await audits()).filter((a) => a.action === 'permission.denied' && a.actor === 'user:default/asmith');
    expect(denials.map((a) => a.meta?.['permission'])).toEqual(['catalog.entity.annotate', 'catalog.entity.annotate', 'catalog.entity.annotate']);
    // The owner's identity through the service is allowed.
    const allowed = await catalog.setEntityOverlay('component:default/two', { labels: { x: 'y' } }, { actor: person('jdoe', 'team-a'), source: 'x' });
    expect(allowed.entity?.metadata.labels).toEqual({ x: 'y' });
  });

  it('bad input is a 400 naming the problem; an unknown entity a 404; a dry run writes nothing', async () => {
    const bad = async (body: unknown) => {
      const res = await overlay<ErrorBody>('jdoe', 'two', body);
      expect(res.status).toBe(400);
      return res.body.error.message;
    };
    expect(await bad({ annotations: { 'not a key!': 'x' } })).toMatch(/annotation "not a key!": not a valid key/);
    expect(await bad({ labels: { tier: 'has spaces' } })).toMatch(/label "tier": the value must be at most 63 characters/);
    expect(await bad({ annotations: { 'backstage.io/managed-by-origin-location': 'provider:ldap' } })).toMatch(/only the catalog sets it/);
    expect(await bad({})).toMatch(/nothing to change/);
    expect(await bad({ annotations: { 'example.com/n': 5 } })).toBeTruthy();
    expect(await bad({ annotations: { 'example.com/n': 'x' }, spec: {} })).toBeTruthy();
    expect(await bad({ source: 'has space', annotations: { 'example.com/n': 'x' } })).toBeTruthy();
    // A plugin's overlay is not written over HTTP (automations write theirs through the service).
    expect(await bad({ source: 'automation:probe', annotations: { 'example.com/n': 'x' } })).toMatch(/source/);
    await expect(
      catalog.setEntityOverlay('component:default/two', { labels: { ok: 'x' } }, { actor: service('probe'), source: 'bad source' }),
    ).rejects.toMatchObject({
      name: 'InputError',
    });
    expect((await overlay<ErrorBody>('jdoe', 'nope', { labels: { a: 'b' } })).status).toBe(404);
    await expect(catalog.setEntityOverlay('component:default/nope', { labels: { a: 'b' } }, { actor: service('probe'), source: 'p' })).rejects.toMatchObject({
      name: 'NotFoundError',
    });

    const dry = await catalog.setEntityOverlay('component:default/two', { labels: { dry: 'run' } }, { actor: service('probe'), source: 'p', dryRun: true });
    expect(dry.overlay).toEqual({ source: 'p', annotations: {}, labels: { dry: 'run' } });
    expect(dry.entity).toBeUndefined();
    expect((await entity('two')).metadata.labels).toEqual({ x: 'y' });
    expect(await overlayRows('component:default/two')).toEqual(['x']);
  });

  it('deleting an entity deletes its overlays: when it comes back, it comes back without them', async () => {
    expect(await overlayRows('component:default/two')).toEqual(['x']);
    await rewrite(files(one({}, 'second'), false));
    expect((await api('jdoe', '/entities/by-name/component/default/two')).status).toBe(404);
    const left = await db.raw<{ rows: Array<{ n: number }> }>(`select count(*)::int as n from entity_overlays where source = 'x'`);
    expect(left.rows[0]?.n).toBe(0);
    await rewrite(files(one({}, 'second')));
    const back = await entity('two');
    expect(back.metadata.name).toBe('two');
    expect(back.metadata.labels).toBeUndefined();
  });

  it("an entity provider's entity: the overlay survives the provider's next sync, and the provider's own keys stay its own", async () => {
    const holder: { connection?: EntityProviderConnection } = {};
    await catalog.registerEntityProvider({ name: 'hr', connect: async (c) => void (holder.connection = c) });
    const connection = holder.connection;
    if (!connection) throw new Error('the provider was not connected');
    const svc = (description: string) => ({
      entity: component('svc', { owner: 'team-a' }, { description, labels: { source: 'hr' } }) as Entity,
      locationKey: 'hr:svc',
    });
    expect((await connection.applyMutation({ type: 'full', entities: [svc('v1')] })).errors).toEqual([]);
    expect((await overlay('jdoe', 'svc', { labels: { team: 'a' } })).status).toBe(200);
    const refused = await overlay<ErrorBody>('jdoe', 'svc', { labels: { source: 'me' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      /label source is set to "hr" by the source\. .*owned by the entity provider hr.*change it at the provider's source/,
    );
    await connection.applyMutation({ type: 'full', entities: [svc('v2')] });
    const served = await entity('svc');
    expect(served.metadata.description).toBe('v2');
    expect(served.metadata.labels).toEqual({ source: 'hr', team: 'a' });
  });
});
