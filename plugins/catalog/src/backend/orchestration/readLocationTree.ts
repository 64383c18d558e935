import { createHash } from 'node:crypto';
import {
  createEntityValidator,
  inverseRelationOf,
  stringifyEntityRef,
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
import { fastHashOf } from '../stitching/hash.js';
import { breathe } from '../store/breathe.js';
import { withConfigKeys } from './configHints.js';
import type { EntityChecks } from './entityChecks.js';
import { generatedLocationEntity } from './generatedLocation.js';
import { toStatusItem } from './locationApplier.js';
import type { LocationTreeRead, ProcessedItem } from './types.js';

/** Bump when processing changes what is stored, so every location is re-applied once. */
const PROCESSING_VERSION = 'atrium-catalog-1';
const MAX_LOCATIONS = 10_000;
const MAX_ERRORS = 500;
const PARALLEL_READS = 6;
/** Items handed to the sink at a time: one file may hold 100,000 entities. */
const SINK_BATCH = 500;

export type ReadLocationFn = (spec: LocationSpec, options: IngestionOptions) => Promise<LocationReadResult>;

const validators = new WeakMap<readonly CustomKindDefinition[], EntityValidator>();
function validatorFor(kinds: readonly CustomKindDefinition[]): EntityValidator {
  let v = validators.get(kinds);
  if (!v) validators.set(kinds, (v = createEntityValidator({ customKinds: kinds })));
  return v;
}

/** What a walk of a location tree found, apart from the items it handed over. */
export type LocationTreeSummary = Omit<LocationTreeRead, 'items'> & { itemCount: number };

/** Receives the items of each location read, in tree order; the walk waits for it (backpressure). */
export type ItemSink = (items: ProcessedItem[]) => Promise<void>;

/**
 * Reads a root location and every location its Location entities name, breadth first, with
 * cycle detection (a location already read in this tree is not read again). The first
 * definition of an entity ref wins; later ones become errors. A few reads run ahead in
 * parallel, but their items go to `sink` strictly in order, so the outcome is deterministic,
 * and only the reads in flight are held in memory (a 100,000-entity tree is never whole).
 */
export async function walkLocationTree(
  root: LocationSpec,
  options: IngestionOptions,
  read: ReadLocationFn,
  sink: ItemSink,
  checks?: EntityChecks,
): Promise<LocationTreeSummary> {
  const validator = validatorFor(options.customKinds ?? []);
  const rootEntity = generatedLocationEntity(root);
  const rootRef = locationRefOf(root);
  /** First definition of each ref: the file it came from. */
  const sourceOf = new Map<string, string>();
  const errors: LocationError[] = [];
  const failedFiles = new Set<string>();
  const hash = createHash('sha256').update(PROCESSING_VERSION);
  let incomplete = false;
  let revision: string | undefined;
  const files: string[] = [];
  let probeable = true;
  let itemCount = 0;
  const addError = (e: LocationError) => {
    if (errors.length < MAX_ERRORS) errors.push(e);
  };

  const rootItem = toItem(rootEntity, [], rootRef, null, validator);
  sourceOf.set(rootItem.entityRef, rootItem.sourceFile);
  itemCount++;
  await sink([rootItem]);

  const visited = new Set<string>([rootRef]);
  let level: Array<{ spec: LocationSpec; parentRef: string }> = [{ spec: root, parentRef: rootItem.entityRef }];
  while (level.length > 0) {
    const next: typeof level = [];
    await forEachInOrder(
      level,
      PARALLEL_READS,
      ({ spec }) =>
        read(spec, {
          ...options,
          originLocation: { type: root.type, target: root.target },
          // Entities of kinds a check looks at carry their fields' lines, for the checks' errors.
          ...(checks ? { fieldLinesFor: checks.kinds() } : {}),
        }),
      async ({ spec, parentRef }, result) => {
        for (const file of result.files) files.push(file);
        if (spec.type !== 'file' || /[*?[\]{}]/.test(spec.target) || result.errors.length > 0) probeable = false;
        if (result.revision) revision ??= result.revision;
        hash.update(`\0${result.contentHash}`);
        for (const e of result.errors) {
          addError(toLocationError(e));
          failedFiles.add(e.file);
          if (e.kind === 'read' || e.kind === 'security') incomplete = true;
        }
        let items: ProcessedItem[] = [];
        for (const ingested of result.entities) {
          const item = fromIngested(ingested, parentRef, validator);
          for (const e of ingested.errors) addError(toLocationError(e, ingested.entityRef));
          // The reader already reported a duplicate inside one location; keep the first.
          if (!item || (!ingested.entity && ingested.errors.some((e) => e.kind === 'duplicate'))) continue;
          const first = sourceOf.get(item.entityRef);
          if (first !== undefined) {
            addError({
              name: 'ConflictError',
              kind: 'duplicate',
              message: `Duplicate entity ${item.entityRef}: it is already defined in ${first}; only the first definition is used`,
              file: ingested.source.url,
              line: ingested.source.line,
              entityRef: item.entityRef,
            });
            continue;
          }
          sourceOf.set(item.entityRef, item.sourceFile);
          if (checks && ingested.entity && item.entity) {
            const problems = await checks.run(ingested.entity, ingested);
            if (problems.length > 0) {
              for (const e of problems) addError(toLocationError(e, item.entityRef));
              item.status = problems.map(toStatusItem);
              item.hash = fastHashOf({ stored: item.hash, status: item.status });
            }
          }
          items.push(item);
          if (items.length >= SINK_BATCH) {
            // A big file is handed on in slices, letting the event loop run between them.
            itemCount += items.length;
            await sink(items);
            items = [];
            await breathe();
          }
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
        itemCount += items.length;
        if (items.length > 0) await sink(items);
      },
    );
    level = next;
  }
  return { errors, failedFiles, incomplete, contentHash: hash.digest('hex'), ...(revision ? { revision } : {}), files, probeable, itemCount };
}

/** The whole tree in memory: for dry runs and previews, which store nothing. */
export async function readLocationTree(
  root: LocationSpec,
  options: IngestionOptions,
  read: ReadLocationFn = readLocation,
  checks?: EntityChecks,
): Promise<LocationTreeRead> {
  const items: ProcessedItem[] = [];
  const { itemCount: _count, ...summary } = await walkLocationTree(
    root,
    options,
    read,
    async (batch) => {
      for (const item of batch) items.push(item);
    },
    checks,
  );
  return { ...summary, items };
}

function fromIngested(ingested: IngestedEntity, parentRef: string, validator: EntityValidator): ProcessedItem | undefined {
  if (!ingested.entityRef) return undefined;
  if (!ingested.entity) {
    return { entityRef: ingested.entityRef, relations: [], errors: ingested.errors, sourceFile: ingested.source.url, parentRef, hash: '' };
  }
  return toItem(ingested.entity, ingested.errors, ingested.source.url, parentRef, validator, ingested.entityRef);
}

export function toItem(
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
  const entityRef = knownRef ?? stringifyEntityRef(entity);
  const seen = new Set(relations.map((r) => `${r.sourceRef} ${r.type} ${r.targetRef}`));
  for (const r of forward ?? []) {
    if (seen.has(`${entityRef} ${r.type} ${r.targetRef}`)) continue;
    relations.push({ sourceRef: entityRef, type: r.type, targetRef: r.targetRef });
    const inverse = inverseRelationOf(r.type) ?? inverseFromKinds(validator, r.type);
    if (inverse) relations.push({ sourceRef: r.targetRef, type: inverse, targetRef: entityRef });
  }
  const item: ProcessedItem = { entityRef, entity: processed, relations, errors, sourceFile, parentRef, hash: '' };
  item.hash = fastHashOf({ entity: processed, relations, sourceFile, parentRef });
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
    message: withConfigKeys(e.message),
    kind: e.kind,
    file: e.file,
    ...(e.line !== undefined ? { line: e.line } : {}),
    ...(e.column !== undefined ? { column: e.column } : {}),
    ...(e.field !== undefined ? { field: e.field } : {}),
    ...(entityRef ? { entityRef } : {}),
  };
}

/**
 * Runs `produce` on up to `ahead` items at once and hands each result to `consume` in the
 * items' order; a result is released as soon as it is consumed.
 */
async function forEachInOrder<T, R>(
  items: T[],
  ahead: number,
  produce: (item: T) => Promise<R>,
  consume: (item: T, result: R) => Promise<void>,
): Promise<void> {
  const pending = new Array<Promise<R> | undefined>(items.length);
  const start = (i: number) => {
    if (i >= items.length || pending[i]) return;
    const p = produce(items[i]!);
    p.catch(() => undefined); // observed below, in order
    pending[i] = p;
  };
  for (let i = 0; i < Math.min(ahead, items.length); i++) start(i);
  for (let i = 0; i < items.length; i++) {
    start(i + ahead);
    const result = await pending[i]!;
    pending[i] = undefined;
    await consume(items[i]!, result);
  }
}
