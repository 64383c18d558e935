import { DEFAULT_NAMESPACE, type Entity } from './entity.js';

/**
 * Fills in what a descriptor may leave out. Backstage defaults exactly one thing at
 * ingestion, the namespace (`default`); other optional fields stay absent rather than being
 * filled with empty values, so stored entities and their hashes match Backstage's.
 * Never mutates its argument; returns it unchanged when there is nothing to fill.
 */
export function applyEntityDefaults<T extends Entity>(entity: T): T {
  if (entity.metadata.namespace) return entity;
  return { ...entity, metadata: { ...entity.metadata, namespace: DEFAULT_NAMESPACE } };
}
