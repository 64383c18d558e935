import {
  coreServices,
  createPermissions,
  createServiceFactory,
  definePlugin,
  type AuditEvent,
  type EventEnvelope,
  type InstanceService,
  type Logger,
} from '@atrium/backend-plugin-api';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Seen {
  instance?: InstanceService;
  depInstance?: InstanceService;
  events: EventEnvelope[];
  logs: Array<{ plugin: string; msg: string }>;
}

/** A plugin whose routes check a permission and write an audit record, as real plugins do. */
function notesPlugin(seen: Seen) {
  return definePlugin({
    id: 'notes',
    deps: { instance: coreServices.instance },
    setup({ router, auth, permissions, audit, instance, events, logger, deps }) {
      seen.instance = instance;
      seen.depInstance = deps.instance;
      logger.info('notes ready');
      events.subscribe('notes.*', (e) => {
        seen.events.push(e);
      });
      router.post('/notes', async (req, res) => {
        const caller = await auth.getCaller(req);
        await permissions.assert(caller, { permission: 'notes.create' });
        audit.record({ actor: caller, action: 'notes.create', target: 'note:1' });
        await events.publish('notes.created', { id: 1 });
        res.status(201).json({ id: 1 });
      });
      router.post('/notes/:id/archive', async (req, res) => {
        const caller = await auth.getCaller(req);
        await permissions.assert(caller, { permission: 'notes.archive', resourceRef: `note:${req.params['id']}` });
        audit.record({ actor: caller, action: 'notes.archive', target: `note:${req.params['id']}` });
        res.status(204).end();
      });
      router.get('/notes', async (req, res) => {
        await permissions.assert(await auth.getCaller(req), { permission: 'notes.read' });
        res.json({ items: [] });
      });
    },
  });
}

describe.each(testDatabaseKinds())('core service overrides in a real backend on %s', (database) => {
  const seen: Seen = { events: [], logs: [] };
  const audited: AuditEvent[] = [];
  const asked: string[] = [];
  let t: TestBackend;

  beforeAll(async () => {
    t = await startTestBackend({
      database,
      replicaId: 'replica-under-test',
      plugins: [notesPlugin(seen)],
      services: [
        // A policy that allows reading and archiving notes, and denies creating them.
        createServiceFactory(coreServices.permissions, () =>
          createPermissions((_caller, { permission }) => {
            asked.push(permission);
            return permission !== 'notes.create' ? { result: 'ALLOW' } : { result: 'DENY', reason: 'notes are read-only here' };
          }),
        ),
        createServiceFactory(coreServices.audit, () => ({ record: (event: AuditEvent) => void audited.push(event) })),
        // A per-plugin service: each plugin gets its own instance, built knowing its id.
        createServiceFactory(coreServices.logger, async ({ pluginId, get }) => {
          const root = await get(coreServices.rootLogger);
          const recording = Object.create(root.child({ plugin: pluginId })) as Logger;
          recording.info = ((msg: string) => void seen.logs.push({ plugin: pluginId, msg })) as Logger['info'];
          return recording;
        }),
      ],
    });
  });
  afterAll(() => t?.stop());

  it("answers a plugin's route with the overriding policy's decision", async () => {
    expect((await t.json('/api/notes/notes')).status).toBe(200);
    const denied = await t.json<{ error: { name: string; message: string } }>('/api/notes/notes', { method: 'POST', body: {} });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toEqual({ name: 'NotAllowedError', message: 'notes are read-only here' });
    expect(asked).toEqual(['notes.read', 'notes.create']);
    expect(audited).toEqual([]);
  });

  it('records audit events with the overriding audit service', async () => {
    expect((await t.fetch('/api/notes/notes/7/archive', { method: 'POST', headers: { 'content-type': 'application/json' } })).status).toBe(204);
    expect(audited).toEqual([{ actor: expect.objectContaining({ userEntityRef: 'user:default/guest' }), action: 'notes.archive', target: 'note:7' }]);
  });

  it('gives each plugin the service its factory built for it', () => {
    expect(seen.logs).toContainEqual({ plugin: 'notes', msg: 'notes ready' });
  });

  it('gives every part one replica id: ctx.instance, deps on coreServices.instance, events and the backend', async () => {
    expect(seen.instance?.replicaId).toBe('replica-under-test');
    expect(seen.depInstance).toBe(seen.instance);
    expect(t.backend.replicaId).toBe('replica-under-test');
    expect(seen.instance?.startedAt).toBeInstanceOf(Date);
    expect((await t.json<{ info: { version: string } }>('/api/openapi.json')).body.info.version).toBe(seen.instance?.version);
    await t.backend.events.publish('notes.ping', {});
    const [event] = await waitFor(() => seen.events.length > 0 && seen.events);
    expect(event?.origin).toBe('replica-under-test');
  });
});

describe('core service overrides that go wrong', () => {
  it('a factory that throws fails the plugins it is built for, with the reason, and the backend still serves', async () => {
    const t = await startTestBackend({
      plugins: [notesPlugin({ events: [], logs: [] })],
      services: [
        createServiceFactory(coreServices.scheduler, () => {
          throw new Error('scheduler unavailable');
        }),
      ],
    });
    try {
      const res = await t.json<{ error: { message: string } }>('/api/notes/notes');
      expect(res.status).toBe(503);
      expect(res.body.error.message).toBe('The notes plugin failed to start: scheduler unavailable');
      expect((await t.json('/healthz')).status).toBe(200);
    } finally {
      await t.stop();
    }
  });

  it('two overrides for one service stop the start, naming it', async () => {
    const allow = createServiceFactory(coreServices.permissions, () => createPermissions(() => ({ result: 'ALLOW' })));
    await expect(startTestBackend({ plugins: [], services: [allow, allow] })).rejects.toThrow('Two service overrides for the core service "core.permissions"');
  });
});
