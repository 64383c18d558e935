import { coreServices, createServiceFactory, definePlugin, type Caller } from '@atrium/backend-plugin-api';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationList, NotificationsService } from '../common/index.js';
import { notificationsServiceRef } from './notificationsService.js';
import { notificationsPlugin } from './plugin.js';

// Read marks and their audit records are one transaction: the host's real (durable) audit log is
// used, and a write is made to fail with a check constraint, as a full disk or a dropped
// connection would. Either the mark and its record are both stored, or neither is.
const alice: Caller = {
  type: 'user',
  userEntityRef: 'user:default/alice',
  ownershipEntityRefs: ['user:default/alice', 'group:default/team-a'],
  displayName: 'Alice',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(testDatabaseKinds())('notification read marks are audited in their own transaction on %s', (database) => {
  let backend: TestBackend;
  let service!: NotificationsService;
  const producer = definePlugin({
    id: 'producer',
    deps: { notifications: notificationsServiceRef },
    setup({ deps }) {
      service = deps.notifications;
    },
  });
  const api = <T = unknown>(p: string, init?: Omit<RequestInit, 'body'> & { body?: unknown }) => backend.json<T>(`/api/notifications${p}`, init);
  const db = () => backend.backend.database.forSchema('notifications');
  const sql = async (statement: string) => (await db()).raw(statement);
  /** The actors of the audit records with this action (and target). */
  const audited = async (action: string, target?: string) => {
    const result = (await (
      await db()
    ).raw(`select actor, meta from atrium_host.audit_events where action = ?${target ? ' and target = ?' : ''} order by id`, [
      action,
      ...(target ? [target] : []),
    ])) as { rows: Array<{ actor: string; meta: unknown }> };
    return result.rows;
  };
  const unreadIds = async () => (await api<NotificationList>('/?unread=true&limit=100')).body.items.map((n) => n.id);
  const send = async (title: string) => {
    const id = (await service.send({ recipients: ['user:default/alice'], source: 'producer', topic: 'producer.t', title })).notifications[0]?.id ?? '';
    expect(id).toMatch(UUID); // interpolated into the DDL below
    return id;
  };

  beforeAll(async () => {
    backend = await startTestBackend({
      database,
      plugins: [producer, notificationsPlugin],
      // The caller is Alice; the audit service is the host's own.
      services: [createServiceFactory(coreServices.auth, () => ({ getCaller: async () => alice, serviceCaller: () => alice }))],
    });
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it('marking one read stores its audit record with it; when the record cannot be written the notification stays unread', async () => {
    const first = await send('First');
    const second = await send('Second');
    expect((await api(`/${first}/read`, { method: 'POST' })).status).toBe(204);
    expect((await audited('notifications.read', first)).map((r) => r.actor)).toEqual(['user:default/alice']);

    await sql(`alter table atrium_host.audit_events add constraint test_refuse_record check (target is distinct from '${second}') not valid`);
    try {
      expect((await api(`/${second}/read`, { method: 'POST' })).status).toBe(500);
    } finally {
      await sql('alter table atrium_host.audit_events drop constraint test_refuse_record');
    }
    expect(await audited('notifications.read', second)).toEqual([]);
    const unread = await unreadIds();
    expect(unread).toContain(second);
    expect(unread).not.toContain(first);
  });

  it('a read mark that cannot be written leaves no audit record', async () => {
    const third = await send('Third');
    await sql(`alter table notifications add constraint test_refuse_mark check (id::text <> '${third}' or read_at is null) not valid`);
    try {
      expect((await api(`/${third}/read`, { method: 'POST' })).status).toBe(500);
    } finally {
      await sql('alter table notifications drop constraint test_refuse_mark');
    }
    expect(await audited('notifications.read', third)).toEqual([]);
    expect(await unreadIds()).toContain(third);
  });

  it('marking all read is one audit record with the count, in the same transaction', async () => {
    await send('Fourth');
    const before = await unreadIds();
    expect(before.length).toBeGreaterThanOrEqual(2);
    await sql(`alter table atrium_host.audit_events add constraint test_refuse_read_all check (action <> 'notifications.read-all') not valid`);
    try {
      expect((await api('/read-all', { method: 'POST' })).status).toBe(500);
    } finally {
      await sql('alter table atrium_host.audit_events drop constraint test_refuse_read_all');
    }
    expect((await unreadIds()).sort()).toEqual([...before].sort());
    expect(await audited('notifications.read-all')).toEqual([]);

    const done = await api<{ updated: number }>('/read-all', { method: 'POST' });
    expect(done.body).toEqual({ updated: before.length });
    expect(await unreadIds()).toEqual([]);
    expect(await audited('notifications.read-all')).toEqual([{ actor: 'user:default/alice', meta: { updated: before.length } }]);
  });
});
