/** The fields of a catalog entity ownership resolution reads. */
interface EntityRelations {
  relations?: Array<{ type: string; targetRef: string }>;
}

/** The part of the catalog's in-process API ownership resolution needs. */
export interface EntityLookup {
  getEntitiesByRefs(refs: string[]): Promise<Array<EntityRelations | undefined>>;
}

const MAX_GROUPS = 1000;

/**
 * A user's ownership refs: the user, the groups it is a member of (`memberOf`) and their
 * ancestors (`childOf`, the inverse of `parentOf`), transitively; cycles are followed once.
 * Without a catalog (or a user not in it) only the user's own ref.
 */
export async function resolveOwnership(userEntityRef: string, catalog: EntityLookup | undefined): Promise<string[]> {
  const refs = [userEntityRef];
  if (!catalog) return refs;
  const [user] = await catalog.getEntitiesByRefs([userEntityRef]);
  if (!user) return refs;
  const seen = new Set<string>(refs);
  let frontier = relationTargets(user, 'memberOf').filter((r) => !seen.has(r));
  while (frontier.length > 0 && seen.size < MAX_GROUPS) {
    for (const ref of frontier) seen.add(ref);
    const groups = await catalog.getEntitiesByRefs(frontier);
    const next = new Set<string>();
    for (const group of groups) for (const parent of group ? relationTargets(group, 'childOf') : []) if (!seen.has(parent)) next.add(parent);
    frontier = [...next];
  }
  return [...seen];
}

function relationTargets(entity: EntityRelations, type: string): string[] {
  return (entity.relations ?? []).filter((r) => r.type === type).map((r) => r.targetRef);
}
