import { randomUUID } from 'node:crypto';
import type { EntityStatusItem } from '@atrium/catalog-model';
import { ENTITY_STATUS_PROCESSING_TYPE, type LocationError } from '../../common/index.js';
import type { IngestionError } from '../ingestion/index.js';
import type { EntityWriter, StoredEntityState } from '../store/entityWriter.js';
import type { LocationTreeRead, ProcessedItem } from './types.js';

export interface ApplyResult {
  /** Conflicts and other problems found while storing, for the location's error list. */
  errors: LocationError[];
  removedRefs: string[];
  written: number;
}

/**
 * Brings the stored entities of one location in line with a fresh read of it:
 * - new and changed valid entities are written (unchanged hashes are skipped);
 * - an entity whose newest version is invalid keeps its last good version, with the errors
 *   shown as status items;
 * - an entity another location already provides is not taken: this location gets a
 *   conflict error (the first one keeps it);
 * - entities no longer emitted are deleted, or kept as orphans (`orphanStrategy: keep`),
 *   except those from files that could not be read this time.
 */
export async function applyLocationRead(
  writer: EntityWriter,
  locationId: string,
  tree: LocationTreeRead,
  options: { orphanStrategy: 'delete' | 'keep' },
): Promise<ApplyResult> {
  const errors: LocationError[] = [];
  const owned = new Map((await writer.ownedBy(locationId)).map((s) => [s.entity_ref, s]));
  const foreignRefs = tree.items.map((i) => i.entityRef).filter((r) => !owned.has(r));
  const others = new Map((await writer.byRefs(foreignRefs)).map((s) => [s.entity_ref, s]));

  const toWrite: ProcessedItem[] = [];
  const errorUpdates: Array<{ id: string; errors: EntityStatusItem[] }> = [];
  const emitted = new Set<string>();
  for (const item of tree.items) {
    const mine = owned.get(item.entityRef);
    const other = others.get(item.entityRef);
    if (other && other.location_id && other.location_id !== locationId) {
      errors.push(conflictError(item, other));
      continue;
    }
    emitted.add(item.entityRef);
    if (!item.entity) {
      // Invalid now: keep the last good version (if any) and say why.
      if (mine) errorUpdates.push({ id: mine.id, errors: item.errors.map(toStatusItem) });
      continue;
    }
    const current = mine ?? other;
    if (current && current.location_id === locationId && current.hash === item.hash && !current.has_errors && !current.orphan) continue;
    toWrite.push(item);
  }

  const { refused } = await writer.upsert(locationId, toWrite, randomUUID);
  for (const ref of refused) {
    emitted.delete(ref);
    errors.push({
      name: 'ConflictError',
      kind: 'conflict',
      message: `Entity ${ref} is provided by another location, which registered it first; this location's definition is ignored`,
      entityRef: ref,
    });
  }
  await writer.setErrors(errorUpdates);

  const gone = [...owned.values()].filter((s) => !emitted.has(s.entity_ref) && !(s.source_file && tree.failedFiles.has(s.source_file)));
  let removedRefs: string[] = [];
  if (!tree.incomplete && gone.length > 0) {
    if (options.orphanStrategy === 'keep') await writer.orphan(gone.filter((g) => !g.orphan).map((g) => g.id));
    else removedRefs = await writer.remove(gone.map((g) => g.id), locationId);
  }
  return { errors, removedRefs, written: toWrite.length - refused.length };
}

function conflictError(item: ProcessedItem, other: StoredEntityState): LocationError {
  return {
    name: 'ConflictError',
    kind: 'conflict',
    message: `Entity ${item.entityRef} from ${item.sourceFile} conflicts with the same entity already provided by ${other.source_file ?? 'another location'}; the first location keeps it, this definition is ignored`,
    file: item.sourceFile,
    entityRef: item.entityRef,
  };
}

/** A processing error as a Backstage status item on the entity. */
export function toStatusItem(e: IngestionError): EntityStatusItem {
  const where = e.file ? ` (${e.file}${e.line ? `:${e.line}` : ''}${e.field ? `, ${e.field}` : ''})` : '';
  return {
    type: ENTITY_STATUS_PROCESSING_TYPE,
    level: 'error',
    message: `InputError: ${e.message}${where}`,
    error: {
      name: 'InputError',
      message: e.message,
      ...(e.file ? { file: e.file } : {}),
      ...(e.line !== undefined ? { line: e.line } : {}),
      ...(e.field ? { field: e.field } : {}),
      kind: e.kind,
    },
  };
}
