import { defineEventTopic, type EventEnvelope } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { EventBus } from './events.js';

const buildFinished = defineEventTopic<{ entityRef: string; status: 'built' | 'failed' }>('demo.build.finished');

describe('the events service with declared topics', () => {
  it('delivers a topic object under its name, to object, name and prefix subscribers alike', async () => {
    // Single-process mode: no Postgres connection, so the host database is never touched.
    const bus = new EventBus(pino({ level: 'silent' }), undefined as unknown as Knex);
    const events = bus.service();
    const byTopic: EventEnvelope[] = [];
    const byName: EventEnvelope[] = [];
    const byPrefix: EventEnvelope[] = [];
    events.subscribe(buildFinished, (e) => void byTopic.push(e));
    events.subscribe('demo.build.finished', (e) => void byName.push(e));
    events.subscribe('demo.*', (e) => void byPrefix.push(e));

    await events.publish(buildFinished, { entityRef: 'component:default/a', status: 'built' });
    await events.publishMany(buildFinished, [{ entityRef: 'component:default/b', status: 'failed' }]);
    await events.publish('demo.build.finished', { entityRef: 'component:default/c', status: 'built' });

    for (const received of [byTopic, byName, byPrefix]) {
      expect(received.map((e) => [e.topic, (e.payload as { entityRef: string }).entityRef])).toEqual([
        ['demo.build.finished', 'component:default/a'],
        ['demo.build.finished', 'component:default/b'],
        ['demo.build.finished', 'component:default/c'],
      ]);
    }
  });
});
