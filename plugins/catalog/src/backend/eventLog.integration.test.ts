import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Entity } from '@atrium/catalog-model';
import { eventsPlugin, type FeedEvent } from '@atrium/plugin-system/backend';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEntityChanges, type EntityFieldChange, type EntityHistoryPage } from '../common/index.js';
import { catalogPlugin } from './plugin.js';
import { component as plainComponent, yamlDocs } from './testing/catalogTestkit.testing.js';

/** A component the test's policy lets the caller read (tagged `public`), unless it is named `secret`. */
const component = (name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) =>
  plainComponent(name, spec, { ...(name === 'secret' ? {} : { tags: ['public'] }), ...metadata });

interface Feed {
  events: FeedEvent[];
  next: string;
}

describe.each(testDatabaseKinds())('catalog changes in the event log: history, change feed, exact replication (%s)', (kind) => {
  let t: TestBackend;
  let dir: string;
  const write = (entities: object[]) => fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), yamlDocs(...entities));
  const entity = async (name: string) => (await t.json<Entity>(`/api/catalog/entities/by-name/component/default/${name}`)).body;
  const refresh = () => t.json('/api/catalog/refresh', { method: 'POST', body: { entityRef: 'component:default/a' } });
  /** Every event the caller may read after `after`, page by page. */
  const readFeed = async (after = '0', query = '') => {
    const all: FeedEvent[] = [];
    let cursor = after;
    for (;;) {
      const page = await t.json<Feed>(`/api/events?after=${cursor}&limit=3${query}`);
      expect(page.status).toBe(200);
      all.push(...page.body.events);
      if (page.body.next === cursor) return { events: all, next: cursor };
      cursor = page.body.next;
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-eventlog-'));
    write([component('a', {}, { description: 'first' }), component('b', { dependsOn: ['component:a'] }), component('secret')]);
    t = await startTestBackend({
      database: kind,
      plugins: [catalogPlugin, eventsPlugin],
      configDir: dir,
      config: {
        // Entities are readable only when tagged `public` (so component:default/secret is hidden).
        permission: {
          policy: {
            rules: [
              { id: 'public-read', effect: 'allow', permissions: ['catalog.entity.read'], subjects: ['guest'], conditions: { hasTag: 'public' } },
              {
                id: 'rest',
                effect: 'allow',
                subjects: ['guest'],
                permissions: ['catalog.entity.refresh', 'catalog.entity.delete', 'catalog.location.read', 'events.feed.read'],
              },
            ],
          },
        },
        catalog: { processingPollMs: 100, locations: [{ type: 'file', target: './catalog-info.yaml' }], readers: { fileRoots: [dir] } },
      },
    });
    await waitFor(async () => (await t.json('/api/catalog/entities/by-name/component/default/b')).status === 200, { timeoutMs: 30_000 });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records creations, updates with the changed fields, deletions; the feed replays into an empty store equal to the catalog', async () => {
    write([component('a', {}, { description: 'second' }), component('c'), component('secret')]);
    await refresh();
    await waitFor(
      async () =>
        (await t.json('/api/catalog/entities/by-name/component/default/c')).status === 200 &&
        (await t.json('/api/catalog/entities/by-name/component/default/b')).status === 404,
    );
    await waitFor(async () => (await entity('a')).metadata.description === 'second');
    const c = await entity('c');
    expect((await t.json(`/api/catalog/entities/by-uid/${c.metadata.uid}`, { method: 'DELETE' })).status).toBe(204);

    // Replay: created → the entity, updated → apply the changed paths, deleted → gone.
    const { events } = await readFeed('0', '&topics=catalog.entity.*');
    const replica = new Map<string, Entity>();
    for (const e of events) {
      const ref = e.entityRef as string;
      if (e.topic === 'catalog.entity.created') replica.set(ref, (e.payload as { entity: Entity }).entity);
      else if (e.topic === 'catalog.entity.updated')
        replica.set(ref, applyEntityChanges(replica.get(ref) as Entity, (e.payload as { changes: EntityFieldChange[] }).changes));
      else if (e.topic === 'catalog.entity.deleted') replica.delete(ref);
    }
    const ids = events.map((e) => BigInt(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    // The caller may not read component:default/secret: none of its events reach it.
    expect(events.some((e) => e.entityRef === 'component:default/secret')).toBe(false);
    const catalog = (await t.json<Entity[]>('/api/catalog/entities')).body;
    const byRef = (list: Entity[]) =>
      Object.fromEntries(list.map((x) => [`${x.kind.toLowerCase()}:${x.metadata.namespace ?? 'default'}/${x.metadata.name}`, x]));
    expect(Object.fromEntries(replica)).toEqual(byRef(catalog));
    expect(replica.has('component:default/b')).toBe(false);
    expect(replica.has('component:default/c')).toBe(false);
    expect(events.find((e) => e.topic === 'catalog.entity.deleted' && e.entityRef === 'component:default/c')?.actor).toBe('user:default/guest');
  });

  it('serves an entity history, newest first, by cursor', async () => {
    const first = await t.json<EntityHistoryPage>('/api/catalog/entities/by-name/component/default/a/history?limit=1');
    expect(first.status).toBe(200);
    const [latest] = first.body.items;
    expect(latest?.topic).toBe('catalog.entity.updated');
    expect(latest?.meta?.location).toMatch(/^file:.*catalog-info\.yaml$/);
    const all: EntityHistoryPage['items'] = [...first.body.items];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const page = await t.json<EntityHistoryPage>(`/api/catalog/entities/by-name/component/default/a/history?limit=1&before=${cursor}`);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    expect(all[all.length - 1]?.topic).toBe('catalog.entity.created');
    // The description change is in one update; `a` may be stitched once more, for the relation it
    // loses when `b` is deleted, and that update is then the latest.
    const updates = all.filter((i) => i.topic === 'catalog.entity.updated');
    expect(updates.flatMap((i) => i.changes ?? [])).toContainEqual({ path: ['metadata', 'description'], old: 'first', new: 'second' });
    expect(all.map((i) => BigInt(i.id))).toEqual(all.map((i) => BigInt(i.id)).sort((x, y) => (x > y ? -1 : 1)));
    // Hidden and missing entities are both 404; bad cursors are 400.
    expect((await t.json('/api/catalog/entities/by-name/component/default/secret/history')).status).toBe(404);
    expect((await t.json('/api/catalog/entities/by-name/component/default/nope/history')).status).toBe(404);
    expect((await t.json('/api/catalog/entities/by-name/component/default/a/history?before=abc')).status).toBe(400);
  });

  it('streams the feed as server-sent events that resume after Last-Event-ID', async () => {
    const { events } = await readFeed('0', '&topics=catalog.entity.*');
    const middle = events[Math.floor(events.length / 2)]!;
    const res = await t.fetch('/api/events?topics=catalog.entity.*', { headers: { accept: 'text/event-stream', 'last-event-id': middle.id } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const expected = events.filter((e) => BigInt(e.id) > BigInt(middle.id)).map((e) => e.id);
    const got = () => [...text.matchAll(/^id: (\d+)\nevent: (\S+)\ndata: /gm)].map((m) => m[1]);
    await waitFor(
      async () => {
        const { value } = await reader.read();
        text += decoder.decode(value, { stream: true });
        return got().length >= expected.length;
      },
      { timeoutMs: 20_000 },
    );
    await reader.cancel();
    expect(got()).toEqual(expected);
  });

  it('long-polls: a request waiting for events answers with the next change', async () => {
    const { next } = await readFeed('0', '&topics=catalog.entity.*');
    const waiting = t.json<Feed>(`/api/events?after=${next}&topics=catalog.entity.*&wait=20`);
    write([component('a', {}, { description: 'third' }), component('secret')]);
    await refresh();
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body.events.length).toBeGreaterThan(0);
    expect(answer.body.events.every((e) => BigInt(e.id) > BigInt(next))).toBe(true);
    expect((await t.json('/api/events?topics=Bad%20Topic')).status).toBe(400);
    expect((await t.json('/api/events?after=-1')).status).toBe(400);
  });

  it('pages stay full past hidden events, and the cursors give exactly what one read gives', async () => {
    const { next: start } = await readFeed('0', '&topics=catalog.entity.*');
    // Hidden (untagged) entities between visible ones.
    write([
      component('a', {}, { description: 'fourth' }),
      plainComponent('h1'),
      plainComponent('h2'),
      component('v1'),
      plainComponent('h3'),
      plainComponent('h4'),
      plainComponent('h5'),
      component('v2'),
      component('v3'),
      plainComponent('h6'),
      component('secret'),
    ]);
    await refresh();
    await waitFor(async () => (await t.json('/api/catalog/entities/by-name/component/default/v3')).status === 200);
    await waitFor(async () => (await entity('a')).metadata.description === 'fourth');
    const whole = await t.json<Feed>(`/api/events?after=${start}&topics=catalog.entity.*&limit=1000`);
    expect(whole.body.events.length).toBeGreaterThanOrEqual(4);
    const pages: FeedEvent[][] = [];
    let cursor = start;
    for (;;) {
      const page = await t.json<Feed>(`/api/events?after=${cursor}&topics=catalog.entity.*&limit=2`);
      expect(page.status).toBe(200);
      if (page.body.events.length > 0) pages.push(page.body.events);
      if (page.body.next === cursor) break;
      cursor = page.body.next;
    }
    // Every page but the last is full, although hidden events lie between the visible ones.
    pages.slice(0, -1).forEach((p) => expect(p).toHaveLength(2));
    // (Anything appended after the one read is left out of the comparison.)
    const upTo = BigInt(whole.body.next);
    expect(
      pages
        .flat()
        .filter((e) => BigInt(e.id) <= upTo)
        .map((e) => e.id),
    ).toEqual(whole.body.events.map((e) => e.id));
    const refs = new Set(pages.flat().map((e) => e.entityRef));
    for (const hidden of ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'secret']) expect(refs.has(`component:default/${hidden}`)).toBe(false);
    for (const shown of ['v1', 'v2', 'v3']) expect(refs.has(`component:default/${shown}`)).toBe(true);
  });
});
