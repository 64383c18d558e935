import { parseEntityRef } from '@atrium/catalog-model';
import type { EntityLike } from '@atrium/frontend-plugin-api';
import { TECHDOCS_ENTITY_ANNOTATION, TECHDOCS_REF_ANNOTATION, type EntityTriplet } from '../common';

function annotation(entity: EntityLike, key: string): string | undefined {
  const annotations = entity.metadata['annotations'] as Record<string, unknown> | undefined;
  const value = annotations?.[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Whether the entity has docs of its own or borrows another entity's (`techdocs-entity`). */
export function hasDocs(entity: EntityLike): boolean {
  return annotation(entity, TECHDOCS_REF_ANNOTATION) !== undefined || annotation(entity, TECHDOCS_ENTITY_ANNOTATION) !== undefined;
}

/** The entity whose docs to show: the entity itself, or the one `backstage.io/techdocs-entity` names. */
export function docsTripletOf(entity: EntityLike): EntityTriplet {
  const borrowed = annotation(entity, TECHDOCS_ENTITY_ANNOTATION);
  if (borrowed && !annotation(entity, TECHDOCS_REF_ANNOTATION)) {
    try {
      // A short ref is a component in the entity's own namespace.
      return parseEntityRef(borrowed, { defaultKind: 'component', defaultNamespace: entity.metadata.namespace ?? 'default' });
    } catch {
      // fall through to the entity's own docs
    }
  }
  return { namespace: entity.metadata.namespace ?? 'default', kind: entity.kind, name: entity.metadata.name };
}
