/**
 * Declared event topics. A plugin declares each topic it publishes, with its payload type, in
 * its `src/common/` (so subscribers in other plugins import the declaration instead of guessing
 * the payload):
 *
 *   export const catalogEntityUpserted = defineEventTopic<{ entityRef: string; uid: string }>('catalog.entity.upserted');
 *
 * and publishes/subscribes with the object: `events.publish(catalogEntityUpserted, payload)` checks
 * the payload, `events.subscribe(catalogEntityUpserted, (e) => e.payload.entityRef)` types it.
 *
 * This module imports nothing, so `common/` code that also runs in the browser can use it through
 * the `@atrium/backend-plugin-api/eventTopics` entry point without pulling in the backend API.
 */

declare const payloadType: unique symbol;

/** A topic name bound to the type of the payloads published on it. */
export interface EventTopic<T> {
  readonly name: string;
  /** Never set: carries the payload type for the compiler only. */
  readonly [payloadType]?: T;
}

/** The payload type of a declared topic: `EventPayload<typeof catalogEntityUpserted>`. */
export type EventPayload<E> = E extends EventTopic<infer T> ? T : never;

/** Topic names: lower-case dot-separated words, starting with the publishing plugin's id. */
const TOPIC_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** Declares a topic and its payload type. The name must be `<pluginId>.<word>[.<word>…]`. */
export function defineEventTopic<T>(name: string): EventTopic<T> {
  if (!TOPIC_NAME.test(name)) {
    throw new TypeError(
      `Event topic name "${name}" is not valid: use lower-case dot-separated words starting with the plugin id, like "catalog.entity.upserted"`,
    );
  }
  return Object.freeze({ name });
}

/** The name of a topic given either as a declared topic or as a plain string (prefix patterns end with `*`). */
export function eventTopicName(topic: string | EventTopic<unknown>): string {
  return typeof topic === 'string' ? topic : topic.name;
}
