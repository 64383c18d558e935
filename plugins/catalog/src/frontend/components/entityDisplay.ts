import { DEFAULT_NAMESPACE, stringifyEntityRef, type Entity } from '@atrium/catalog-model';

/** What to call an entity: its title, a user's or group's display name, or its name. */
export function entityDisplayName(entity: Pick<Entity, 'metadata' | 'spec'>): string {
  const profile = (entity.spec as { profile?: { displayName?: unknown } } | undefined)?.profile;
  const displayName = typeof profile?.displayName === 'string' && profile.displayName !== '' ? profile.displayName : undefined;
  return entity.metadata.title || displayName || entity.metadata.name;
}

/** `spec.type` as a string, when the entity has one. */
export function entityType(entity: Pick<Entity, 'spec'>): string | undefined {
  const type = (entity.spec as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' && type !== '' ? type : undefined;
}

export function entityRef(entity: Entity): string {
  return stringifyEntityRef(entity);
}

export function entityNamespace(entity: Pick<Entity, 'metadata'>): string {
  return entity.metadata.namespace || DEFAULT_NAMESPACE;
}

/** A string spec field, e.g. `lifecycle`. */
export function specString(entity: Pick<Entity, 'spec'>, key: string): string | undefined {
  const value = (entity.spec as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The refs of one relation type, in the order the catalog lists them. */
export function relationTargets(entity: Pick<Entity, 'relations'>, type: string): string[] {
  const wanted = type.toLowerCase();
  return (entity.relations ?? []).filter((r) => r.type.toLowerCase() === wanted).map((r) => r.targetRef);
}
