import { DEFAULT_NAMESPACE, type ValidationIssue } from './entity.js';
import { isRecord, joinFieldPath, type PathSegment } from './fieldPath.js';
import { specFieldPath, type KindDefinition } from './kindDefinition.js';
import { createKindRegistry } from './kindRegistry.js';
import { parseEntityRef, stringifyEntityRef } from './refs.js';

/** A relation between two entities, both given as canonical refs. */
export type GeneratedRelation = { sourceRef: string; type: string; targetRef: string };

export type RelationsResult = {
  /** Each forward relation followed by its inverse (whose source is the target entity). */
  relations: GeneratedRelation[];
  /** Refs that could not be parsed, by field path (e.g. `spec.dependsOn[2]`). */
  errors: ValidationIssue[];
};

/**
 * The relations an entity's spec declares, in both directions, according to its kind's
 * relation fields. Refs default to the field's target kind and to the entity's own
 * namespace. A malformed ref becomes an error for its field; it never throws. Entities of
 * unknown kinds produce no relations.
 */
export function relationsFromEntity(entity: unknown, customKinds: readonly KindDefinition[] = []): RelationsResult {
  if (!isRecord(entity)) return { relations: [], errors: [] };
  const definition = createKindRegistry(customKinds).forRelations(entity.apiVersion, entity.kind);
  return relationsFromKind(entity, definition);
}

/** As relationsFromEntity, with the kind definition already looked up. */
export function relationsFromKind(entity: Record<string, unknown>, definition: KindDefinition | undefined): RelationsResult {
  const result: RelationsResult = { relations: [], errors: [] };
  const metadata = isRecord(entity.metadata) ? entity.metadata : {};
  const { kind } = entity;
  const { name } = metadata;
  if (!definition?.relations?.length || !isRecord(entity.spec)) return result;
  if (typeof kind !== 'string' || typeof name !== 'string' || name === '') {
    result.errors.push({
      path: 'metadata.name',
      message: 'metadata.name is needed to relate this entity to the entities its spec refers to',
    });
    return result;
  }
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : DEFAULT_NAMESPACE;
  const sourceRef = stringifyEntityRef({ kind, namespace, name });
  const seen = new Set<string>();
  const add = (relation: GeneratedRelation) => {
    const key = `${relation.sourceRef} ${relation.type} ${relation.targetRef}`;
    if (seen.has(key)) return;
    seen.add(key);
    result.relations.push(relation);
  };

  for (const field of definition.relations) {
    const segments = specFieldPath(field.field).split('.');
    const value = valueAtPath(entity.spec, segments);
    if (value === undefined || value === null) continue;
    const items: Array<[unknown, PathSegment[]]> = Array.isArray(value) ? value.map((item, i) => [item, [...segments, i]]) : [[value, segments]];
    for (const [item, itemPath] of items) {
      try {
        const target = parseEntityRef(item, { defaultKind: field.targetKind, defaultNamespace: namespace });
        const targetRef = stringifyEntityRef(target);
        add({ sourceRef, type: field.type, targetRef });
        add({ sourceRef: targetRef, type: field.inverse, targetRef: sourceRef });
      } catch (error) {
        const path = joinFieldPath('spec', ...itemPath);
        const reason = error instanceof Error ? error.message : String(error);
        result.errors.push({ path, message: `${path} is not a valid entity ref: ${reason}` });
      }
    }
  }
  return result;
}

function valueAtPath(root: unknown, segments: readonly string[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (!isRecord(current)) return undefined;
    current = current[segment];
  }
  return current;
}
