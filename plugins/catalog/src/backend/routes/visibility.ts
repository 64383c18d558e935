import { type Caller, type PermissionsService } from '@atrium/backend-plugin-api';
import type { FilterNode } from '../filters/filterNode.js';
import { parsePredicate } from '../filters/parsePredicate.js';
import { READ_ENTITIES } from './services.js';

/**
 * Matches no entity: `filterIdSet` gives `select null::uuid where false`, `filterCondition`
 * gives `false` (see filters.test.ts).
 */
export const MATCH_NOTHING: FilterNode = { op: 'any', nodes: [] };

/**
 * The entities a caller may read, as a filter to AND with a request's own: undefined when the
 * caller sees everything (no policy: nothing is added to the query), MATCH_NOTHING when nothing,
 * else the policy's predicate for this caller. Computed per request from the caller, never
 * carried in a cursor, so a cursor cannot carry another caller's rights.
 */
export async function visibility(permissions: PermissionsService, caller: Caller): Promise<FilterNode | undefined> {
  const v = await permissions.queryConditions(caller, READ_ENTITIES);
  if (v.result === 'all') return undefined;
  if (v.result === 'none') return MATCH_NOTHING;
  return parsePredicate(v.predicate, 'permission');
}

/**
 * Whether the caller may read one entity (the entity, or its stored JSON text). Text is parsed
 * only when a policy's conditions must be evaluated on it; without a policy the decision is a
 * constant one (no lookup: the policy service needs the target only for conditions).
 */
export async function canReadEntity(permissions: PermissionsService, caller: Caller, entityRef: string, entity: string | object): Promise<boolean> {
  const v = await permissions.queryConditions(caller, READ_ENTITIES);
  if (v.result === 'none') return false;
  const request =
    v.result === 'all'
      ? { permission: READ_ENTITIES, resourceRef: entityRef }
      : { permission: READ_ENTITIES, resourceRef: entityRef, resource: typeof entity === 'string' ? (JSON.parse(entity) as object) : entity };
  return (await permissions.authorize(caller, request)).result === 'ALLOW';
}

/** Which of several entities the caller may read, in order: one batch decision. */
export async function readableEntities(permissions: PermissionsService, caller: Caller, entities: Array<{ ref: string; entity: object }>): Promise<boolean[]> {
  const v = await permissions.queryConditions(caller, READ_ENTITIES);
  if (v.result === 'none') return entities.map(() => false);
  if (v.result === 'all' || entities.length === 0) return entities.map(() => true);
  const decisions = await permissions.authorizeMany(
    caller,
    entities.map((e) => ({ permission: READ_ENTITIES, resourceRef: e.ref, resource: e.entity })),
  );
  return decisions.map((d) => d.result === 'ALLOW');
}

/** A hidden entity is answered like a missing one: 404, so its existence is not revealed. */
export async function assertReadable<T extends string | object>(
  permissions: PermissionsService,
  caller: Caller,
  entityRef: string,
  entity: T | undefined,
  notFound: () => Error,
): Promise<T> {
  if (entity === undefined || !(await canReadEntity(permissions, caller, entityRef, entity))) throw notFound();
  return entity;
}
