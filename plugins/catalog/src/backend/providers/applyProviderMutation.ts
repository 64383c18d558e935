import { parseEntityRef, stringifyEntityRef, type EntityStatusItem, type EntityValidator } from '@atrium/catalog-model';
import { ENTITY_STATUS_PROCESSING_TYPE, type EntityProviderMutation, type EntityProviderMutationResult, type LocationError } from '../../common/index.js';
import { refOfRaw } from '../ingestion/processEntity.js';
import { isPlainObject } from '../ingestion/fieldPaths.js';
import type { ProcessedItem } from '../orchestration/types.js';
import { newEntityId } from '../store/entityId.js';
import type { EntityWriter, StoredEntityState } from '../store/entityWriter.js';
import { originOf, processProvidedEntity } from './processProvidedEntity.js';

/**
 * Stores one mutation of a provider (without stitching; the caller stitches and records):
 * - valid entities are written under the provider's name (unchanged ones skipped);
 * - an invalid entity fails alone: it is reported, and if the provider already owns a
 *   version of it, that version stays with the errors as status items;
 * - an entity owned by a location or another provider is not taken (a conflict error naming
 *   both), and the provider cannot remove it;
 * - `full` removes what the provider owned and no longer yields; `delta` removes `removed`.
 */
export async function applyProviderMutation(
  deps: { writer: EntityWriter; validator: EntityValidator },
  provider: string,
  mutation: EntityProviderMutation,
): Promise<EntityProviderMutationResult> {
  const { writer, validator } = deps;
  const errors: LocationError[] = [];
  const owned = new Map((await writer.ownedByProvider(provider)).map((s) => [s.entity_ref, s]));
  const emitted = new Set<string>();
  const items = new Map<string, ProcessedItem>();
  const errorUpdates: Array<{ id: string; errors: EntityStatusItem[] }> = [];

  for (const deferred of mutation.type === 'full' ? mutation.entities : mutation.added) {
    const result = processProvidedEntity(provider, deferred, validator);
    if (result.error) {
      errors.push(...result.error);
      const mine = result.entityRef ? owned.get(result.entityRef) : undefined;
      if (mine && result.entityRef) {
        // Invalid now: keep the last good version and say why.
        emitted.add(result.entityRef);
        errorUpdates.push({ id: mine.id, errors: result.error.map(toStatusItem) });
      }
      continue;
    }
    const { item } = result;
    if (items.has(item.entityRef)) {
      errors.push({
        name: 'ConflictError',
        kind: 'duplicate',
        message: `Entity provider ${provider} yielded ${item.entityRef} more than once in one mutation; the first one is kept`,
        file: item.sourceFile,
        entityRef: item.entityRef,
      });
      continue;
    }
    items.set(item.entityRef, item);
  }

  const others = new Map((await writer.byRefs([...items.keys()].filter((r) => !owned.has(r)))).map((s) => [s.entity_ref, s]));
  const toWrite: ProcessedItem[] = [];
  for (const item of items.values()) {
    const other = others.get(item.entityRef);
    if (other && (other.location_id || (other.provider && other.provider !== provider))) {
      errors.push(conflict(provider, item.entityRef, item.sourceFile, other));
      continue;
    }
    emitted.add(item.entityRef);
    const mine = owned.get(item.entityRef);
    if (mine && mine.hash === item.hash && !mine.has_errors && !mine.orphan) continue;
    toWrite.push(item);
  }
  const { refused } = await writer.upsert({ provider }, toWrite, newEntityId);
  for (const ref of refused) {
    emitted.delete(ref);
    const [other] = await writer.byRefs([ref]);
    errors.push(conflict(provider, ref, items.get(ref)?.sourceFile ?? `provider:${provider}`, other));
  }
  await writer.setErrors(errorUpdates);

  let gone: StoredEntityState[] = [];
  if (mutation.type === 'full') gone = [...owned.values()].filter((s) => !emitted.has(s.entity_ref));
  else {
    for (const r of mutation.removed) {
      const ref = 'entityRef' in r ? normalRef(r.entityRef) : isPlainObject(r.entity) ? refOfRaw(r.entity) : undefined;
      if (!ref) {
        errors.push({
          name: 'InputError',
          kind: 'validation',
          message: `Entity provider ${provider} asked to remove an entity without a kind and name`,
          file: originOf(provider, 'entityRef' in r ? {} : r),
        });
        continue;
      }
      const mine = owned.get(ref);
      if (mine) gone.push(mine);
      else {
        const [other] = await writer.byRefs([ref]);
        if (other) {
          errors.push({
            name: 'NotAllowedError',
            kind: 'conflict',
            message: `Entity provider ${provider} cannot remove ${ref}: it is provided by ${ownerOf(other)}`,
            file: originOf(provider, 'entityRef' in r ? {} : r),
            entityRef: ref,
          });
        }
      }
    }
  }
  const removed =
    gone.length > 0
      ? await writer.remove(
          gone.map((g) => g.id),
          { provider },
        )
      : [];
  return { written: toWrite.length - refused.length, removed, errors };
}

function normalRef(ref: string): string | undefined {
  try {
    return stringifyEntityRef(parseEntityRef(ref));
  } catch {
    return undefined;
  }
}

function ownerOf(other: Pick<StoredEntityState, 'provider' | 'source_file'> | undefined): string {
  if (other?.provider) return `entity provider ${other.provider}`;
  return `location ${other?.source_file ?? '(unknown)'}`;
}

function conflict(provider: string, entityRef: string, origin: string, other: StoredEntityState | undefined): LocationError {
  return {
    name: 'ConflictError',
    kind: 'conflict',
    message: `Entity ${entityRef} from entity provider ${provider} conflicts with the same entity already provided by ${ownerOf(other)}; the first one keeps it, this definition is ignored`,
    file: origin,
    entityRef,
  };
}

function toStatusItem(e: LocationError): EntityStatusItem {
  return {
    type: ENTITY_STATUS_PROCESSING_TYPE,
    level: 'error',
    message: `InputError: ${e.message}${e.field ? ` (${e.field})` : ''}`,
    error: {
      name: 'InputError',
      message: e.message,
      ...(e.file ? { file: e.file } : {}),
      ...(e.field ? { field: e.field } : {}),
      ...(e.kind ? { kind: e.kind } : {}),
    },
  };
}
