import { coreServices, createServiceFactory, definePlugin, type AuditEvent, type Caller } from '@atrium/backend-plugin-api';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Notification, NotificationList, NotificationsService } from '../common/index.js';
import { notificationsServiceRef } from './notificationsService.js';
import { notificationsPlugin } from './plugin.js';

// The caller of every request: a user in team-a (set per test through `as`).
const callers: Record<string, Caller> = {
  alice: { type: 'user', userEntityRef: 'user:default/alice', ownershipEntityRefs: ['user:default/alice', 'group:default/team-a'], displayName: 'Alice' },
  bob: { type: 'user', userEntityRef: 'user:default/bob', ownershipEntityRefs: ['user:default/bob', 'group:default/team-b'], displayName: 'Bob' },
};
let as: keyof typeof callers = 'alice';

describe.each(testDatabaseKinds())('notifications on %s', (database) => {
  let backend: TestBackend;
  let service!: NotificationsService;
  const audited: AuditEvent[] = [];
  // A producer plugin, as scorecards or the scaffolder would be: it gets the service through deps.
  const producer = definePlugin({
    id: 'producer',
    deps: { notifications: notificationsServiceRef },
    setup({ deps }) {
      service = deps.notifications;
    },
  });
  const api = <T = unknown>(p: string, init?: Omit<RequestInit, 'body'> & { body?: unknown }) => backend.json<T>(`/api/notifications${p}`, init);
  const titles = (l: NotificationList) => l.items.map((n) => n.title);

  beforeAll(async () => {
    backend = await startTestBackend({
      database,
      plugins: [producer, notificationsPlugin],
      services: [
        createServiceFactory(coreServices.auth, () => ({ getCaller: async () => callers[as]!, serviceCaller: () => callers['alice']! })),
        createServiceFactory(coreServices.audit, () => ({ record: (e: AuditEvent) => void audited.push(e) })),
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
  });
  beforeEach(async () => {
    as = 'alice';
    await service.markAllRead(['group:default/team-a', 'group:default/team-b', 'user:default/alice', 'user:default/bob']);
  });

  it('a sent notification reaches its recipients (users or groups, any spelling of the ref) and nobody else', async () => {
    const sent = await service.send({
      recipients: ['Group:default/Team-A', 'user:bob'],
      source: 'producer',
      topic: 'producer.hello',
      title: 'Hello teams',
      severity: 'high',
      link: '/catalog',
    });
    expect(sent.notifications.map((n) => [n.recipient, n.created])).toEqual([
      ['group:default/team-a', true],
      ['user:default/bob', true],
    ]);
    const alice = (await api<NotificationList>('/')).body;
    expect(titles(alice)).toContain('Hello teams');
    expect(alice.items.find((n) => n.title === 'Hello teams')).toMatchObject({
      source: 'producer',
      topic: 'producer.hello',
      severity: 'high',
      link: '/catalog',
    });
    as = 'bob';
    expect(titles((await api<NotificationList>('/')).body)).toContain('Hello teams');
    await service.send({ recipients: ['group:default/team-a'], source: 'producer', topic: 'producer.hello', title: 'Only team A' });
    expect(titles((await api<NotificationList>('/')).body)).not.toContain('Only team A');
  });

  it('a broadcast reaches everyone', async () => {
    await service.send({ recipients: 'broadcast', source: 'producer', topic: 'producer.news', title: 'For everyone' });
    for (const who of ['alice', 'bob'] as const) {
      as = who;
      expect(titles((await api<NotificationList>('/')).body)).toContain('For everyone');
    }
  });

  it('marks one read, counts unread, filters unread, and marks all read (audited)', async () => {
    const { notifications } = await service.send({ recipients: ['user:default/alice'], source: 'producer', topic: 'producer.t', title: 'Read me' });
    await service.send({ recipients: ['user:default/alice'], source: 'producer', topic: 'producer.t', title: 'And me' });
    expect((await api<{ count: number }>('/unread-count')).body.count).toBe(2);
    expect((await api(`/${notifications[0]!.id}/read`, { method: 'POST' })).status).toBe(204);
    expect(audited.at(-1)).toMatchObject({ action: 'notifications.read', target: notifications[0]!.id, actor: { userEntityRef: 'user:default/alice' } });
    expect((await api<{ count: number }>('/unread-count')).body.count).toBe(1);
    const unread = (await api<NotificationList>('/?unread=true')).body;
    expect(titles(unread)).toEqual(['And me']);
    expect(unread.unreadCount).toBe(1);
    const readOne = (await api<NotificationList>('/')).body.items.find((n) => n.id === notifications[0]!.id);
    expect(readOne?.readAt).toBeDefined();
    expect((await api<{ updated: number }>('/read-all', { method: 'POST' })).body.updated).toBe(1);
    expect(audited.at(-1)).toMatchObject({ action: 'notifications.read-all', meta: { updated: 1 } });
    expect((await api<{ count: number }>('/unread-count')).body.count).toBe(0);
  });

  it("cannot mark another person's notification read: 404, and it stays unread", async () => {
    const { notifications } = await service.send({ recipients: ['user:default/bob'], source: 'producer', topic: 'producer.t', title: "Bob's" });
    expect((await api(`/${notifications[0]!.id}/read`, { method: 'POST' })).status).toBe(404);
    as = 'bob';
    expect((await api<NotificationList>('/?unread=true')).body.items.map((n) => n.id)).toContain(notifications[0]!.id);
  });

  it('a scope replaces instead of adding, keeps the read state, and withdraw removes unread ones except those kept', async () => {
    const send = (title: string, scope: string, recipient = 'group:default/team-a') =>
      service.send({ recipients: [recipient], source: 'producer', topic: 'producer.reminder', title, scope });
    const first = (await send('3 left', 'reminder:x:group:default/team-a')).notifications[0]!;
    const second = (await send('2 left', 'reminder:x:group:default/team-a')).notifications[0]!;
    expect(second).toMatchObject({ id: first.id, created: false, title: '2 left' });
    expect(
      (await api<NotificationList>('/?source=producer')).body.items.filter((n) => n.scope === 'reminder:x:group:default/team-a').map((n) => n.title),
    ).toEqual(['2 left']);
    await send('for b', 'reminder:x:group:default/team-b', 'group:default/team-b');
    await send('other reminder', 'reminder:y:group:default/team-a');
    // Only team-b still has something to fix: team-a's reminder for x goes, y's stays.
    expect(await service.withdraw({ source: 'producer', scopePrefix: 'reminder:x:', keepScopePrefixes: ['reminder:x:group:default/team-b'] })).toBe(1);
    const scopes = async () => (await api<NotificationList>('/?source=producer&limit=500')).body.items.map((n: Notification) => n.scope).filter(Boolean);
    expect(await scopes()).not.toContain('reminder:x:group:default/team-a');
    expect(await scopes()).toContain('reminder:y:group:default/team-a');
    // A read one stays when withdrawn (unreadOnly by default).
    const y = (await send('other reminder', 'reminder:y:group:default/team-a')).notifications[0]!;
    expect((await api(`/${y.id}/read`, { method: 'POST' })).status).toBe(204);
    expect(await service.withdraw({ source: 'producer', scopePrefix: 'reminder:y:' })).toBe(0);
    // Rewriting a read one keeps it read.
    expect((await send('still y', 'reminder:y:group:default/team-a')).notifications[0]!.readAt).toBeDefined();
  });

  it('a scope taken literally: % and _ in a withdraw prefix match only themselves', async () => {
    await service.send({ recipients: ['user:default/alice'], source: 'producer', topic: 'producer.t', title: 'abc', scope: 'lit:abc' });
    expect(await service.withdraw({ source: 'producer', scopePrefix: 'lit:%' })).toBe(0);
    expect(await service.withdraw({ source: 'producer', scopePrefix: 'lit:a_c' })).toBe(0);
    expect(await service.withdraw({ source: 'producer', scopePrefix: 'lit:abc' })).toBe(1);
  });

  it("another recipient's list needs the read-others permission; the entity filter narrows", async () => {
    await service.send({
      recipients: ['group:default/team-b'],
      source: 'producer',
      topic: 'producer.t',
      title: 'About svc',
      entityRef: 'component:default/svc',
    });
    const list = (await api<NotificationList>(`/?recipient=${encodeURIComponent('group:default/team-b')}&entityRef=${encodeURIComponent('component:svc')}`))
      .body;
    expect(titles(list)).toEqual(['About svc']);
  });

  it('bad input: a clear error, the right status, nothing written', async () => {
    const before = (await api<NotificationList>('/')).body.totalCount;
    await expect(service.send({ recipients: ['component:default/svc'], source: 'producer', topic: 'producer.t', title: 'x' })).rejects.toThrow(
      /not a user or group/,
    );
    await expect(service.send({ recipients: ['user:default/alice', 'user:'], source: 'producer', topic: 'producer.t', title: 'x' })).rejects.toThrow(
      /invalid recipient "user:"/,
    );
    await expect(service.send({ recipients: [], source: 'producer', topic: 'producer.t', title: 'x' })).rejects.toThrow(/no recipients/);
    await expect(service.send({ recipients: 'broadcast', source: 'producer', topic: 'producer.t', title: '' })).rejects.toThrow(/title is required/);
    await expect(service.send({ recipients: 'broadcast', source: 'producer', topic: 'producer.t', title: 'x', severity: 'urgent' as never })).rejects.toThrow(
      /severity "urgent"/,
    );
    expect((await api<NotificationList>('/')).body.totalCount).toBe(before);
    const badQuery = await api<{ error: { message: string } }>('/?limit=0');
    expect(badQuery.status).toBe(400);
    expect(JSON.stringify(badQuery.body)).toMatch(/limit/);
    expect((await api('/not-a-uuid/read', { method: 'POST' })).status).toBe(400);
    expect((await api('/?recipient=%3A%3A', {})).status).toBe(400);
  });

  it('declared route schemas: a 400 lists each bad field (query, params) in details.errors', async () => {
    type Err = { error: { details: { errors: Array<{ path: string; message: string }> } } };
    const bad = await api<Err>('/?limit=0&offset=-1&source=Not%20A%20Source&colour=red');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors.map((e) => e.path).sort()).toEqual(['query.colour', 'query.limit', 'query.offset', 'query.source']);
    const id = await api<Err>('/not-a-uuid/read', { method: 'POST' });
    expect(id.status).toBe(400);
    expect(id.body.error.details.errors).toEqual([expect.objectContaining({ path: 'params.id' })]);
  });
});
