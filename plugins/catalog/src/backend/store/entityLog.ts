import type { EventLogAppend, EventLogService } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import { CATALOG_LOG_TOPICS, type EntityLogMeta } from '../../common/entityHistory.js';

/** The catalog's own actor in the event log, for changes it makes while reading locations. */
export const CATALOG_ACTOR = 'plugin:catalog';

/** Appends the catalog's events in the change's transaction (no-op without an event log). */
export async function appendEntityEvents(eventLog: EventLogService | undefined, trx: Knex.Transaction, events: EventLogAppend[]): Promise<void> {
  if (!eventLog || events.length === 0) return;
  await eventLog.append(events, { trx });
}

/** `meta` for an entity's event: where it was read from and at which commit. */
export function entityLogMeta(row: { location_ref?: string | null; revision?: string | null; provider?: string | null }): EntityLogMeta | undefined {
  const meta: EntityLogMeta = {};
  if (row.location_ref) meta.location = row.location_ref;
  if (row.revision) meta.commit = row.revision;
  if (row.provider) meta.provider = row.provider;
  return Object.keys(meta).length > 0 ? meta : undefined;
}

export function removedEvent(
  topic: typeof CATALOG_LOG_TOPICS.deleted | typeof CATALOG_LOG_TOPICS.orphaned,
  entityRef: string,
  uid: string,
  actor?: string,
  entity?: unknown,
): EventLogAppend {
  return { topic, entityRef, actor: actor ?? CATALOG_ACTOR, payload: { entityRef, uid, ...(entity !== undefined ? { entity } : {}) } };
}
