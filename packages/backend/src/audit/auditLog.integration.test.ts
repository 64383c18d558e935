import {
  coreServices,
  createPermissions,
  createServiceFactory,
  definePlugin,
  type AuditLogService,
  type AuditService,
  type Caller,
} from '@atrium/backend-plugin-api';
import { notificationsPlugin } from '@atrium/plugin-notifications/backend';
import { systemPlugin } from '@atrium/plugin-system/backend';
import type { AuditEventsPage } from '@atrium/plugin-system/common';
import { createTestPostgresDatabase, startTestBackend, testDatabaseKinds, testPostgresUrl, waitFor, type TestBackend } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../host/createLogger.js';
import { hostAuditStoreRef } from '../host/hostServices.js';
import { createDurableAudit } from './durableAudit.js';

interface Handles {
  auditLog?: AuditLogService;
  audit?: AuditService;
  db?: Knex;
}

const bob: Caller = { type: 'user', userEntityRef: 'user:default/bob', ownershipEntityRefs: ['user:default/bob'], displayName: 'Bob' };

/**
 * A plugin with its own table whose POST /things writes a row and its audit record in one
 * transaction (and fails after both when asked), plus handles on the audit services for the test.
 */
function thingsPlugin(handles: Handles) {
  return definePlugin({
    id: 'things',
    deps: { auditLog: coreServices.auditLog },
    migrations: [{ name: '0001', up: (k) => k.schema.createTable('things', (t) => void t.text('name').primary()) }],
    setup({ router, db, audit, auth, deps }) {
      handles.auditLog = deps.auditLog;
      handles.audit = audit;
      handles.db = db;
      router.post('/things', async (req, res) => {
        const caller = await auth.getCaller(req);
        const { name, fail, isolation } = req.body as { name: string; fail?: boolean; isolation?: 'repeatable read' };
        await db.transaction(
          async (trx) => {
            await trx('things').insert({ name });
            await audit.record({ actor: caller, action: 'things.thing.create', target: `thing:${name}`, after: { name } }, { trx });
            if (fail) throw new Error('failing after the audit record, inside the transaction');
          },
          isolation ? { isolationLevel: isolation } : {},
        );
        res.status(201).json({ name });
      });
    },
  });
}

describe.each(testDatabaseKinds())('durable audit log (%s)', (database) => {
  const handles: Handles = {};
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({ database, plugins: [systemPlugin, notificationsPlugin, thingsPlugin(handles)] });
  });
  afterAll(async () => {
    await t?.stop();
  });
  const events = (query = '') => t.json<AuditEventsPage>(`/api/system/audit/events${query}`);

  it('keeps a record of an existing mutating route, with its request id and client address', async () => {
    const res = await t.fetch('/api/notifications/read-all', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-audit-1' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    await waitFor(async () => (await events('?action=notifications')).body.items.length === 1, { message: 'the read-all record' });
    const [row] = (await events('?action=notifications')).body.items;
    expect(row).toMatchObject({
      actor: 'user:default/guest',
      action: 'notifications.read-all',
      outcome: 'succeeded',
      requestId: 'req-audit-1',
      meta: { updated: 0 },
    });
    expect(row!.clientAddress).toMatch(/127\.0\.0\.1/);
    expect(res.headers.get('x-request-id')).toBe('req-audit-1');
  });

  it('commits a record written with { trx } with the change, and rolls it back with it', async () => {
    const ok = await t.json('/api/things/things', { method: 'POST', body: { name: 'kept' } });
    expect(ok.status).toBe(201);
    const failed = await t.json('/api/things/things', { method: 'POST', body: { name: 'dropped', fail: true } });
    expect(failed.status).toBe(500);
    expect((await handles.db!('things').select('name')).map((r) => r.name)).toEqual(['kept']);
    const rows = (await events('?action=things.thing.create')).body.items;
    expect(rows.map((r) => r.target)).toEqual(['thing:kept']);
    expect(rows[0]!.diff).toEqual({ before: null, after: { name: 'kept' } });
    expect(await handles.auditLog!.verify()).toMatchObject({ ok: true });
  });

  it('refuses { trx } in a transaction that is not READ COMMITTED, and the change goes with it', async () => {
    const res = await t.json('/api/things/things', { method: 'POST', body: { name: 'snapshot', isolation: 'repeatable read' } });
    expect(res.status).toBe(500);
    expect((await handles.db!('things').where({ name: 'snapshot' })).length).toBe(0);
    expect((await events('?target=thing:snapshot')).body.items).toEqual([]);
  });

  it('filters by actor, action prefix, target, outcome and time, and pages with a cursor', async () => {
    for (let i = 0; i < 5; i++)
      await handles.audit!.record({
        actor: bob,
        action: `paging.item.${i % 2 ? 'odd' : 'even'}`,
        target: `item:${i}`,
        outcome: i === 4 ? 'denied' : 'succeeded',
      });
    const first = await events('?actor=user:default/bob&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((r) => r.target)).toEqual(['item:4', 'item:3']);
    const second = await events(`?actor=user:default/bob&limit=2&cursor=${first.body.nextCursor}`);
    const third = await events(`?actor=user:default/bob&limit=2&cursor=${second.body.nextCursor}`);
    expect([...second.body.items, ...third.body.items].map((r) => r.target)).toEqual(['item:2', 'item:1', 'item:0']);
    expect(third.body.nextCursor).toBeUndefined();
    expect((await events('?action=paging.item.odd')).body.items.map((r) => r.target)).toEqual(['item:3', 'item:1']);
    expect((await events('?action=paging.item.od')).body.items).toEqual([]);
    expect((await events('?target=item:2')).body.items).toHaveLength(1);
    expect((await events('?outcome=denied')).body.items.map((r) => r.target)).toEqual(['item:4']);
    const newest = first.body.items[0]!.time;
    expect((await events(`?actor=user:default/bob&from=${encodeURIComponent(new Date(Date.parse(newest) + 1).toISOString())}`)).body.items).toEqual([]);
    expect((await events(`?actor=user:default/bob&to=${encodeURIComponent(new Date(Date.parse(newest) + 1).toISOString())}`)).body.items).toHaveLength(5);
  });

  it('exports the same filters as CSV', async () => {
    const res = await t.fetch('/api/system/audit/events.csv?actor=user:default/bob&action=paging');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,time,actor,actorType,action,target,outcome,requestId,clientAddress,diff,meta,hash');
    expect(lines.slice(1).map((l) => l.split(',')[5])).toEqual(['item:4', 'item:3', 'item:2', 'item:1', 'item:0']);
  });

  it('answers 400 to a malformed time range, a bad cursor and unknown parameters', async () => {
    const cases = [
      '?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      '?from=yesterday',
      '?cursor=bm90LWEtY3Vyc29y',
      '?limit=0',
      '?outcome=maybe',
      '?colour=red',
    ];
    for (const q of cases) {
      const res = await events(q);
      expect(res.status, q).toBe(400);
      const csv = await t.fetch(`/api/system/audit/events.csv${q}`);
      expect(csv.status, `csv ${q}`).toBe(400);
    }
  });

  it('keeps one valid chain under concurrent writers', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => handles.audit!.record({ actor: bob, action: 'concurrent.write', target: `n:${i}` })));
    expect((await handles.auditLog!.query({ actionPrefix: 'concurrent', limit: 100 })).items).toHaveLength(30);
    expect(await handles.auditLog!.verify()).toMatchObject({ ok: true });
  });

  it('names the first row changed in SQL, and the row after one deleted', async () => {
    const [victim] = (await handles.auditLog!.query({ target: 'item:2' })).items;
    await handles.db!.withSchema('atrium_host').table('audit_events').where({ id: victim!.id }).update({ outcome: 'failed' });
    expect(await handles.auditLog!.verify()).toMatchObject({ ok: false, brokenAt: { id: victim!.id, time: victim!.time } });
    await handles.db!.withSchema('atrium_host').table('audit_events').where({ id: victim!.id }).update({ outcome: 'succeeded' });
    expect(await handles.auditLog!.verify()).toMatchObject({ ok: true });
    const [gone] = (await handles.auditLog!.query({ target: 'item:3' })).items;
    const [next] = (await handles.auditLog!.query({ target: 'item:4' })).items;
    await handles.db!.withSchema('atrium_host').table('audit_events').where({ id: gone!.id }).delete();
    expect(await handles.auditLog!.verify()).toMatchObject({ ok: false, brokenAt: { id: next!.id } });
  });
});

describe('SIEM lines for records written in a transaction', () => {
  it('are written once the transaction commits, and not for one rolled back', async () => {
    const lines: string[] = [];
    const audit = createServiceFactory(coreServices.audit, async ({ get }) =>
      createDurableAudit({ store: await get(hostAuditStoreRef), logger: createLogger('silent'), jsonLines: (l) => lines.push(l) }),
    );
    const handles: Handles = {};
    const t = await startTestBackend({ plugins: [thingsPlugin(handles)], services: [audit] });
    try {
      expect((await t.json('/api/things/things', { method: 'POST', body: { name: 'kept' } })).status).toBe(201);
      expect((await t.json('/api/things/things', { method: 'POST', body: { name: 'dropped', fail: true } })).status).toBe(500);
      await waitFor(() => lines.length >= 1, { message: 'the committed record as a JSON line' });
      expect(lines.map((l) => JSON.parse(l).target)).toEqual(['thing:kept']);
    } finally {
      await t.stop();
    }
  });
});

describe('backend.audit config', () => {
  it('refuses to start with a retention below one day, naming the key', async () => {
    await expect(startTestBackend({ plugins: [], config: { backend: { audit: { retentionDays: 0 } } } })).rejects.toThrow(/backend\.audit\.retentionDays/);
  });
});

describe('audit routes and the audit.log.read permission', () => {
  it('answer 403 to a caller without audit.log.read (JSON and CSV), and are documented with it', async () => {
    const asked: string[] = [];
    const policy = createServiceFactory(coreServices.permissions, () =>
      createPermissions((_caller, request) => {
        asked.push(request.permission);
        return request.permission === 'audit.log.read' ? { result: 'DENY', reason: 'not an auditor' } : { result: 'ALLOW' };
      }),
    );
    const t = await startTestBackend({ plugins: [systemPlugin], services: [policy] });
    try {
      expect((await t.json('/api/system/audit/events')).status).toBe(403);
      expect((await t.fetch('/api/system/audit/events.csv')).status).toBe(403);
      expect(asked).toEqual(['audit.log.read', 'audit.log.read']);
      const doc = await t.json<{ paths: Record<string, Record<string, Record<string, unknown>>> }>('/api/openapi.json');
      expect(doc.body.paths['/api/system/audit/events']!['get']!['x-atrium-permission']).toBe('audit.log.read');
      expect(doc.body.paths['/api/system/audit/events.csv']!['get']!['x-atrium-permission']).toBe('audit.log.read');
    } finally {
      await t.stop();
    }
  });
});

describe.skipIf(!testPostgresUrl())('durable audit log across two replicas on Postgres', () => {
  const a: Handles = {};
  const b: Handles = {};
  let ta: TestBackend;
  let tb: TestBackend;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await createTestPostgresDatabase();
    drop = db.drop;
    ta = await startTestBackend({ database: 'postgres', postgresUrl: db.url, replicaId: 'audit-a', plugins: [thingsPlugin(a)] });
    tb = await startTestBackend({ database: 'postgres', postgresUrl: db.url, replicaId: 'audit-b', plugins: [thingsPlugin(b)] });
  });
  afterAll(async () => {
    await ta?.stop();
    await tb?.stop();
    await drop?.();
  });

  it('chains concurrent records and transactions from both replicas into one valid chain', async () => {
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => a.audit!.record({ actor: bob, action: 'replicas.write', target: `a:${i}` })),
      ...Array.from({ length: 40 }, (_, i) => b.audit!.record({ actor: bob, action: 'replicas.write', target: `b:${i}` })),
      ...Array.from({ length: 10 }, (_, i) => ta.json('/api/things/things', { method: 'POST', body: { name: `a${i}` } })),
      ...Array.from({ length: 10 }, (_, i) => tb.json('/api/things/things', { method: 'POST', body: { name: `b${i}` } })),
    ]);
    const all = await a.auditLog!.query({ limit: 500 });
    expect(all.items.filter((r) => r.action === 'replicas.write')).toHaveLength(80);
    expect(all.items.filter((r) => r.action === 'things.thing.create')).toHaveLength(20);
    expect(await b.auditLog!.verify()).toEqual({ ok: true, checked: 100, fromCheckpoint: null });
  });
});
