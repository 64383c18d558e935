import { createHash } from 'node:crypto';
import {
  createEntityValidator,
  inverseRelationOf,
  type CustomKindDefinition,
  type Entity,
  type EntityValidator,
  type GeneratedRelation,
} from '@atrium/catalog-model';
import type { LocationError } from '../../common/index.js';
import {
  locationRefOf,
  readLocation,
  type IngestedEntity,
  type IngestionError,
  type IngestionOptions,
  type LocationReadResult,
  type LocationSpec,
} from '../ingestion/index.js';
import { hashOf } from '../stitching/hash.js';
import { generatedLocationEntity } from './generatedLocation.js';
import type { LocationTreeRead, ProcessedItem } from './types.js';

/** Bump when processing changes what is stored, so every location is re-applied once. */
const PROCESSING_VERSION = 'atrium-catalog-1';
const MAX_LOCATIONS = 10_000;
const MAX_ERRORS = 500;
const PARALLEL_READS = 6;

export type ReadLocationFn = (spec: LocationSpec, options: IngestionOptions) => Promise<LocationReadResult>;

const validators = new WeakMap<readonly CustomKindDefinition[], EntityValidator>();
function validatorFor(kinds: readonly CustomKindDefinition[]): EntityValidator {
  let v = validators.get(kinds);
  if (!v) validators.set(kinds, (v = createEntityValidator({ customKinds: kinds })));
  return v;
}

/**
 * Reads a root location and every location its Location entities name, breadth first, with
 * cycle detection (a location already read in this tree is not read again). The first
 * definition of an entity ref wins; later ones become errors. Reads of one level run in
 * parallel but are applied in order, so the outcome is deterministic.
 */
export async function readLocationTree(
  root: LocationSpec,
  options: IngestionOptions,
  read: ReadLocationFn = readLocation,
): Promise<LocationTreeRead> {
  const validator = validatorFor(options.customKinds ?? []);
  const rootEntity = generatedLocationEntity(root);
  const rootRef = locationRefOf(root);
  const items: ProcessedItem[] = [];
  const byRef = new Map<string, ProcessedItem>();
  const errors: LocationError[] = [];
  const failedFiles = new Set<string>();
  const hash = createHash('sha256').update(PROCESSING_VERSION);
  let incomplete = false;
  let revision: string | undefined;
  const files: string[] = [];
  let probeable = true;
  const addError = (e: LocationError) => {
    if (errors.length < MAX_ERRORS) errors.push(e);
  };

  const rootItem = toItem(rootEntity, [], rootRef, null, validator);
  items.push(rootItem);
  byRef.set(rootItem.entityRef, rootItem);

  const visited = new Set<string>([rootRef]);
  let level: Array<{ spec: LocationSpec; parentRef: string }> = [{ spec: root, parentRef: rootItem.entityRef }];
  while (level.length > 0) {
    const results = await mapLimit(level, PARALLEL_READS, ({ spec }) =>
      read(spec, { ...options, originLocation: { type: root.type, target: root.target } }),
    );
    const next: typeof level = [];
    level.forEach(({ spec, parentRef }, i) => {
      const result = results[i]!;
      files.push(...result.files);
      if (spec.type !== 'file' || /[*?[\]{}]/.test(spec.target) || result.errors.length > 0) probeable = false;
      if (result.revision) revision ??= result.revision;
      hash.update(`\0${result.contentHash}`);
      for (const e of result.errors) {
        addError(toLocationError(e));
        failedFiles.add(e.file);
        if (e.kind === 'read' || e.kind === 'security') incomplete = true;
      }
      for (const ingested of result.entities) {
        const item = fromIngested(ingested, parentRef, validator);
        for (const e of ingested.errors) addError(toLocationError(e, ingested.entityRef));
        // The reader already reported a duplicate inside one location; keep the first.
        if (!item || (!ingested.entity && ingested.errors.some((e) => e.kind === 'duplicate'))) continue;
        const first = byRef.get(item.entityRef);
        if (first) {
          addError({
            name: 'ConflictError',
            kind: 'duplicate',
            message: `Duplicate entity ${item.entityRef}: it is already defined in ${first.sourceFile}; only the first definition is used`,
            file: ingested.source.url,
            line: ingested.source.line,
            entityRef: item.entityRef,
          });
          continue;
        }
        byRef.set(item.entityRef, item);
        items.push(item);
      }
      for (const child of result.childLocations) {
        const key = locationRefOf(child);
        if (visited.has(key)) continue;
        if (visited.size >= MAX_LOCATIONS) {
          addError({ name: 'InputError', kind: 'read', message: `More than ${MAX_LOCATIONS} locations in one tree; ${key} and later ones were not read` });
          incomplete = true;
          continue;
        }
        visited.add(key);
        next.push({ spec: { type: child.type, target: child.target, presence: child.presence }, parentRef: child.parentEntityRef });
      }
    });
    level = next;
  }
  return { items, errors, failedFiles, incomplete, contentHash: hash.digest('hex'), ...(revision ? { revision } : {}), files, probeable };
}

function fromIngested(ingested: IngestedEntity, parentRef: string, validator: EntityValidator): ProcessedItem | undefined {
  if (!ingested.entityRef) return undefined;
  if (!ingested.entity) {
    return { entityRef: ingested.entityRef, relations: [], errors: ingested.errors, sourceFile: ingested.source.url, parentRef, hash: '' };
  }
  return toItem(ingested.entity, ingested.errors, ingested.source.url, parentRef, validator, ingested.entityRef);
}

function toItem(
  entity: Entity,
  errors: IngestionError[],
  sourceFile: string,
  parentRef: string | null,
  validator: EntityValidator,
  knownRef?: string,
): ProcessedItem {
  const { relations: forward, status: _status, ...rest } = entity;
  const processed = rest as Entity;
  const pairs = validator.relations(processed);
  const relations: GeneratedRelation[] = [...pairs.relations];
  const entityRef = knownRef ?? `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`.toLowerCase();
  const seen = new Set(relations.map((r) => `${r.sourceRef} ${r.type} ${r.targetRef}`));
  for (const r of forward ?? []) {
    if (seen.has(`${entityRef} ${r.type} ${r.targetRef}`)) continue;
    relations.push({ sourceRef: entityRef, type: r.type, targetRef: r.targetRef });
    const inverse = inverseRelationOf(r.type) ?? inverseFromKinds(validator, r.type);
    if (inverse) relations.push({ sourceRef: r.targetRef, type: inverse, targetRef: entityRef });
  }
  const item: ProcessedItem = { entityRef, entity: processed, relations, errors, sourceFile, parentRef, hash: '' };
  item.hash = hashOf({ entity: processed, relations, sourceFile, parentRef });
  return item;
}

function inverseFromKinds(validator: EntityValidator, type: string): string | undefined {
  for (const k of validator.kinds) for (const r of k.relations ?? []) if (r.type === type) return r.inverse;
  return undefined;
}

export function toLocationError(e: IngestionError, entityRef?: string): LocationError {
  const name = e.kind === 'security' ? 'NotAllowedError' : e.kind === 'read' ? 'ReadError' : e.kind === 'duplicate' ? 'ConflictError' : 'InputError';
  return {
    name,
    message: e.message,
    kind: e.kind,
    file: e.file,
    ...(e.line !== undefined ? { line: e.line } : {}),
    ...(e.column !== undefined ? { column: e.column } : {}),
    ...(e.field !== undefined ? { field: e.field } : {}),
    ...(entityRef ? { entityRef } : {}),
  };
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
