import path from 'node:path';
import type { ConfigService } from '@atrium/backend-plugin-api';

/** The fields of a catalog entity ownership resolution reads. */
interface EntityRelations {
  metadata?: { annotations?: Record<string, string> };
  relations?: Array<{ type: string; targetRef: string }>;
}

/** A catalog User as sign-in resolution reads it. */
export interface UserEntity extends EntityRelations {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: { profile?: { email?: string; displayName?: string; picture?: string } };
}

/** The part of the catalog's in-process API ownership resolution and sign-in need. */
export interface EntityLookup {
  getEntitiesByRefs(refs: string[]): Promise<Array<EntityRelations | undefined>>;
  /** Entities matching a filter (`{ kind: 'user', 'spec.profile.email': … }`, values case-insensitive). */
  getEntities?(request: { filter: Record<string, string> }): Promise<{ items: unknown[] }>;
}

const ORIGIN_ANNOTATION = 'backstage.io/managed-by-origin-location';
const MAX_GROUPS = 1000;

/**
 * The location refs (`file:/abs/org.yaml`, `url:https://…`) of the locations listed in
 * `catalog.locations`, resolved as the catalog resolves them: only entities read from these
 * confer group membership. A location someone registered through the API does not.
 */
export function trustedOriginsFromConfig(config: ConfigService): Set<string> {
  const locations = (config.get('catalog.locations') as Array<{ type?: string; target?: string }> | undefined) ?? [];
  const dir = config.baseDirOf('catalog.locations');
  return new Set(
    locations.flatMap(({ type, target }) =>
      typeof type === 'string' && typeof target === 'string' ? [`${type}:${type === 'file' ? path.resolve(dir, target) : target}`] : [],
    ),
  );
}

/**
 * Whether an entity comes from a trusted source: a location listed in config, or an entity
 * provider's own data (`provider:<name>`, which the catalog alone writes: directory, SCIM and org
 * sync). Only those confer membership or match a sign-in by email.
 */
export function isTrustedEntity(entity: EntityRelations | undefined, trustedOrigins: ReadonlySet<string>): entity is EntityRelations {
  if (!entity) return false;
  const origin = entity.metadata?.annotations?.[ORIGIN_ANNOTATION] ?? '';
  return trustedOrigins.has(origin) || origin.startsWith('provider:');
}

/**
 * A user's ownership refs: the user, the groups it is a member of (`memberOf`) and their
 * ancestors (`childOf`, the inverse of `parentOf`), transitively; cycles are followed once.
 * Only entities whose origin location is trusted (configured) are followed, so a User or Group
 * registered by a caller cannot add memberships. Without a catalog, or a user not in it (or
 * not from a trusted location), only the user's own ref.
 */
export async function resolveOwnership(userEntityRef: string, catalog: EntityLookup | undefined, trustedOrigins: ReadonlySet<string>): Promise<string[]> {
  const refs = [userEntityRef];
  if (!catalog) return refs;
  const trusted = (e: EntityRelations | undefined): e is EntityRelations => isTrustedEntity(e, trustedOrigins);
  const [user] = await catalog.getEntitiesByRefs([userEntityRef]);
  if (!trusted(user)) return refs;
  const seen = new Set<string>(refs);
  const owned: string[] = [...refs];
  let frontier = relationTargets(user, 'memberOf').filter((r) => !seen.has(r));
  while (frontier.length > 0 && seen.size < MAX_GROUPS) {
    for (const ref of frontier) seen.add(ref);
    const groups = await catalog.getEntitiesByRefs(frontier);
    const next = new Set<string>();
    frontier.forEach((ref, i) => {
      const group = groups[i];
      if (!trusted(group)) return;
      owned.push(ref);
      for (const parent of relationTargets(group, 'childOf')) if (!seen.has(parent)) next.add(parent);
    });
    frontier = [...next];
  }
  return owned;
}

function relationTargets(entity: EntityRelations, type: string): string[] {
  return (entity.relations ?? []).filter((r) => r.type === type).map((r) => r.targetRef);
}
