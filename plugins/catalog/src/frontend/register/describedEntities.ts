import type { Entity } from '@atrium/catalog-model';

/**
 * Entities worth listing to the user: the `generated-…` Location entity that stands for the
 * location itself is bookkeeping, not something the repository describes.
 */
export function describedEntities(entities: readonly Entity[]): Entity[] {
  return entities.filter((e) => !(e.kind.toLowerCase() === 'location' && e.metadata.name.startsWith('generated-')));
}
