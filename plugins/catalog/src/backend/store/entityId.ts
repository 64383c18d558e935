import { v7 } from 'uuid';

/**
 * A new entity's id (its `metadata.uid`): a UUID of version 7 (RFC 9562), whose first 48 bits are
 * the time it was made. Every table keyed by entity (entities, final_entities, search, relations)
 * has a b-tree on this id; with random (version 4) ids each insert of a bulk ingest lands on a
 * random page of each of those indexes, with ids made in order the inserts append near the end.
 * Still unique and unguessable enough for an id (74 random or counter bits), not a secret.
 */
export function newEntityId(): string {
  return v7();
}
