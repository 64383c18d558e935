import type { Caller, PermissionsService } from '@atrium/backend-plugin-api';
import { READ_ENTITIES } from './services.js';

/** What the event stream sends for an entity change. */
export interface EntityEvent {
  type: 'upserted' | 'removed';
  entityRef: string;
}

/** The stored entities (JSON text) of some refs; a ref without one is missing from the map. */
export type EntityLoader = (refs: string[]) => Promise<Map<string, string>>;

/** Refs remembered per connection for removals (oldest forgotten first). */
const MAX_REMEMBERED = 10_000;

/**
 * Entity events for a caller whose reads a policy restricts. Events are queued and decided in
 * one batch per flush (one `authorizeMany`, whose targets the policy service loads in one
 * lookup), then sent in arrival order.
 *
 * A removed entity can no longer be evaluated, so a removal is sent only for a ref this
 * connection already reported as visible (from an upsert); a removal of anything else is not
 * sent. A page that shows an entity the stream never mentioned learns of its removal on its
 * next read (404 / null).
 */
export function visibleEntityEvents(
  permissions: PermissionsService,
  caller: Caller,
  load: EntityLoader,
  send: (e: EntityEvent) => void,
): (e: EntityEvent) => void {
  let queue: EntityEvent[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const visible = new Set<string>();

  const remember = (ref: string) => {
    visible.delete(ref);
    visible.add(ref);
    if (visible.size > MAX_REMEMBERED) {
      const oldest = visible.values().next().value;
      if (oldest !== undefined) visible.delete(oldest);
    }
  };

  async function flush(batch: EntityEvent[]): Promise<void> {
    // The entities as they are now, loaded once for the batch: one gone since is not sent.
    const texts = await load([...new Set(batch.filter((e) => e.type === 'upserted').map((e) => e.entityRef))]);
    const upserts = batch.filter((e) => e.type === 'upserted' && texts.has(e.entityRef));
    const decisions =
      upserts.length > 0
        ? await permissions.authorizeMany(
            caller,
            upserts.map((e) => ({ permission: READ_ENTITIES, resourceRef: e.entityRef, resource: JSON.parse(texts.get(e.entityRef) as string) as object })),
          )
        : [];
    const allowed = new Map(upserts.map((e, i) => [e, decisions[i]?.result === 'ALLOW']));
    for (const e of batch) {
      if (e.type === 'upserted') {
        if (allowed.get(e)) {
          remember(e.entityRef);
          send(e);
        } else visible.delete(e.entityRef);
      } else if (visible.delete(e.entityRef)) send(e);
    }
  }

  return (event) => {
    queue.push(event);
    if (queue.length > 1) return; // a flush is already scheduled for this batch
    setImmediate(() => {
      const batch = queue;
      queue = [];
      // Batches are decided one after another, so events leave in the order they came.
      flushing = flushing.then(() => flush(batch)).catch(() => undefined);
    });
  };
}
