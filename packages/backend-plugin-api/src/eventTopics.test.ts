import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineEventTopic, eventTopicName, type EventPayload, type EventTopic } from './eventTopics.js';
import type { EventEnvelope, EventsService } from './services.js';

const entityUpserted = defineEventTopic<{ entityRef: string; uid: string }>('demo.entity.upserted');

describe('defineEventTopic', () => {
  it('keeps the name and nothing else, frozen', () => {
    expect(entityUpserted).toEqual({ name: 'demo.entity.upserted' });
    expect(Object.isFrozen(entityUpserted)).toBe(true);
    expect(eventTopicName(entityUpserted)).toBe('demo.entity.upserted');
    expect(eventTopicName('demo.*')).toBe('demo.*');
  });

  it('refuses names that are not lower-case dot-separated words under a plugin id', () => {
    for (const bad of ['demo', 'Demo.thing', 'demo.*', 'demo..x', 'demo.x ', '.demo.x', 'demo/x.y']) {
      expect(() => defineEventTopic(bad), bad).toThrow(`Event topic name "${bad}" is not valid`);
    }
    expect(() => defineEventTopic('techdocs.build.finished')).not.toThrow();
    expect(() => defineEventTopic('my-plugin.thing2.done')).not.toThrow();
  });

  it('carries the payload type to publish and subscribe (checked by tsc over the tests)', () => {
    expectTypeOf<EventPayload<typeof entityUpserted>>().toEqualTypeOf<{ entityRef: string; uid: string }>();
    expectTypeOf(entityUpserted).not.toMatchTypeOf<EventTopic<{ other: number }>>();

    // Never called: it only has to compile, with the marked lines refused.
    const usage = (events: EventsService) => {
      void events.publish(entityUpserted, { entityRef: 'component:default/a', uid: 'u' });
      void events.publishMany(entityUpserted, [{ entityRef: 'component:default/a', uid: 'u' }]);
      // @ts-expect-error: the payload lacks uid
      void events.publish(entityUpserted, { entityRef: 'component:default/a' });
      // @ts-expect-error: a wrong payload in a batch
      void events.publishMany(entityUpserted, [{ entityRef: 1, uid: 'u' }]);
      events.subscribe(entityUpserted, (e) => {
        expectTypeOf(e).toEqualTypeOf<EventEnvelope<{ entityRef: string; uid: string }>>();
      });
      // @ts-expect-error: a handler expecting another payload
      events.subscribe(entityUpserted, (e: EventEnvelope<{ status: boolean }>) => e);
      // Plain strings (and prefix patterns) still work, untyped.
      events.subscribe('demo.*', (e) => {
        expectTypeOf(e.payload).toBeUnknown();
      });
    };
    expect(typeof usage).toBe('function');
  });
});
