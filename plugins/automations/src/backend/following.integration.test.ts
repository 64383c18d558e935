import { setTimeout as sleep } from 'node:timers/promises';
import { coreServices, definePlugin, type EventLogService } from '@atrium/backend-plugin-api';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationRun, AutomationSummary } from '../common/index.js';
import { automationsPlugin } from './plugin.js';
import { automationsServiceRef } from './service.js';
import { EventLogSource } from './source.js';
import { startReceiver } from './testing/receiver.js';

let eventLog: EventLogService | undefined;

/**
 * A plugin set up after the automations plugin whose trigger type already has an event in the log
 * when it registers it (as when another replica, or this one before a restart, appended it). It
 * appends the event itself, stays in its setup a while (the follower polls every 50 ms and is woken
 * by the append), then registers the type.
 */
const latePlugin = definePlugin({
  id: 'late',
  deps: { automations: automationsServiceRef, eventLog: coreServices.eventLog },
  async setup({ deps }) {
    eventLog = deps.eventLog;
    await deps.eventLog.append([{ topic: 'late.started', payload: { n: 7 }, meta: { hop: 0 } }]);
    await sleep(1000);
    deps.automations.registerTrigger({ type: 'late.started', description: 'Registered at the end of a slow setup' });
  },
});

describe.each(testDatabaseKinds())('automations following the event log (%s)', (database) => {
  let backend: TestBackend;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver('unused');
    backend = await startTestBackend({
      database,
      plugins: [catalogPlugin, automationsPlugin, latePlugin],
      config: {
        automations: {
          allowedHosts: ['127.0.0.1'],
          pollIntervalMs: 50,
          rules: [
            {
              id: 'on-late',
              trigger: { type: 'late.started' },
              actions: [{ type: 'webhook', url: `${receiver.url}/ok/late`, body: { n: '{{ event.payload.n }}' } }],
            },
          ],
        },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await backend?.stop();
    await receiver?.close();
  });

  it('follows the log only once every plugin has started: an event of a type registered later in start-up runs its automation', async () => {
    const list = (await backend.json<{ items: AutomationSummary[] }>('/api/automations/automations')).body.items;
    expect(list.find((a) => a.id === 'on-late')).toMatchObject({ enabled: true, errors: [] });
    const runs = await waitFor(
      async () => {
        const r = (await backend.json<{ runs: AutomationRun[] }>('/api/automations/automations/on-late')).body.runs;
        return r.length > 0 && r.every((x) => x.status === 'succeeded') && r;
      },
      { timeoutMs: 30_000 },
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]!.event).toMatchObject({ type: 'late.started', payload: { n: 7 } });
    expect(receiver.received.filter((r) => r.path === '/ok/late').map((r) => r.body)).toEqual([{ n: 7 }]);
  });

  it("reads an entity's catalog events after a position (for before/after), at the head and far behind alike", async () => {
    const log = eventLog!;
    const ref = 'component:default/lookahead-probe';
    const position = await log.head();
    const ids = await log.append([
      { topic: 'catalog.entity.updated', entityRef: ref, payload: { entityRef: ref, uid: 'u', changes: [{ path: ['spec', 'owner'], old: 'a', new: 'b' }] } },
      { topic: 'catalog.entity.updated', entityRef: 'component:default/someone-else', payload: { entityRef: 'x', uid: 'v', changes: [] } },
      { topic: 'probe.other', entityRef: ref, payload: {} },
      {
        topic: 'catalog.entity.deleted',
        entityRef: ref,
        payload: { entityRef: ref, uid: 'u', entity: { kind: 'Component', metadata: { name: 'lookahead-probe' } } },
      },
    ]);
    const source = new EventLogSource(log);
    for (const behind of [false, true]) {
      const found = await source.entityEventsAfter(position, [ref], behind);
      expect([...found.keys()]).toEqual([ref]);
      expect(found.get(ref)!.map((e) => [e.key, e.type])).toEqual([
        [`log:${ids[0]}`, 'entity.updated'],
        [`log:${ids[3]}`, 'entity.deleted'],
      ]);
      expect(found.get(ref)![0]!.changes).toEqual([{ path: ['spec', 'owner'], old: 'a', new: 'b' }]);
      expect(found.get(ref)![1]!.logEntity).toMatchObject({ metadata: { name: 'lookahead-probe' } });
      expect((await source.entityEventsAfter(ids[3]!, [ref], behind)).size).toBe(0);
    }
  });
});
