import type { EntityStatusItem } from '@atrium/catalog-model';
import { ENTITY_STATUS_PROCESSING_TYPE, type LocationError } from '../../common/index.js';
import type { IngestionError } from '../ingestion/index.js';
import { newEntityId } from '../store/entityId.js';
import type { EntityWriter, StoredEntityState } from '../store/entityWriter.js';
import { withConfigKeys } from './configHints.js';
import type { LocationTreeRead, ProcessedItem } from './types.js';
import { WRITE_BATCH } from '../store/sql.js';

export interface ApplyResult {
  /** Conflicts and other problems found while storing, for the location's error list. */
  errors: LocationError[];
  removedRefs: string[];
  written: number;
}

export interface ApplyOptions {
  orphanStrategy: 'delete' | 'keep';
  /**
   * Refreshes planner statistics during a bulk load: first after ANALYZE_FIRST_AT written rows,
   * then each time the rows written have doubled.
   */
  analyze?: () => Promise<void>;
}

/**
 * Brings the stored entities of one location in line with a fresh read of it, fed in order
 * as the read goes (see walkLocationTree):
 * - new and changed valid entities are written (unchanged hashes are skipped);
 * - an entity whose newest version is invalid keeps its last good version, with the errors
 *   shown as status items;
 * - an entity another location already provides is not taken: this location gets a
 *   conflict error (the first one keeps it);
 * - at finish(), entities no longer emitted are deleted, or kept as orphans
 *   (`orphanStrategy: keep`), except those from files that could not be read this time.
 * Items are written WRITE_BATCH at a time; one batch is written while the next is being read
 * and parsed, so the database and the parser work at the same time.
 */
export class LocationApplier {
  private readonly emitted = new Set<string>();
  private readonly errors: LocationError[] = [];
  private buffer: ProcessedItem[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private written = 0;
  private nextAnalyzeAt: number;

  private constructor(
    private readonly writer: EntityWriter,
    private readonly locationId: string,
    private readonly owned: Map<string, StoredEntityState>,
    private readonly options: ApplyOptions,
  ) {
    this.nextAnalyzeAt = ANALYZE_FIRST_AT;
  }

  /** Entities written so far (new or changed). */
  get writtenSoFar(): number {
    return this.written;
  }

  static async start(writer: EntityWriter, locationId: string, options: ApplyOptions): Promise<LocationApplier> {
    const owned = new Map((await writer.ownedBy(locationId)).map((s) => [s.entity_ref, s]));
    return new LocationApplier(writer, locationId, owned, options);
  }

  /** Queues items; returns once at most one batch is being written, so memory stays bounded. */
  async add(items: readonly ProcessedItem[]): Promise<void> {
    for (const item of items) this.buffer.push(item);
    if (this.buffer.length >= WRITE_BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    await this.inFlight;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length === 0) return;
    this.inFlight = this.writeBatch(batch);
    this.inFlight.catch(() => undefined); // surfaced by the next flush or by finish()
  }

  /** Writes what is left and removes what the location no longer yields. */
  async finish(tree: Pick<LocationTreeRead, 'failedFiles' | 'incomplete'>): Promise<ApplyResult> {
    await this.flush();
    await this.inFlight;
    const gone = [...this.owned.values()].filter((s) => !this.emitted.has(s.entity_ref) && !(s.source_file && tree.failedFiles.has(s.source_file)));
    let removedRefs: string[] = [];
    if (!tree.incomplete && gone.length > 0) {
      if (this.options.orphanStrategy === 'keep') await this.writer.orphan(gone.filter((g) => !g.orphan).map((g) => g.id));
      else
        removedRefs = await this.writer.remove(
          gone.map((g) => g.id),
          this.locationId,
        );
    }
    return { errors: this.errors, removedRefs, written: this.written };
  }

  private async writeBatch(batch: ProcessedItem[]): Promise<void> {
    const { writer, locationId, owned, emitted } = this;
    // Who else holds a ref is asked only where it matters: for refs whose newest version is invalid
    // (not written, so the upsert cannot tell), and for the refs the upsert refused. A first read
    // would otherwise look up every ref it writes, one query per batch on the read's critical path
    // for what is a conflict once in a blue moon (bench/RESULTS.md, session 20).
    const invalidForeign = batch.filter((i) => !i.entity && !owned.has(i.entityRef)).map((i) => i.entityRef);
    const others = new Map((invalidForeign.length > 0 ? await writer.byRefs(invalidForeign) : []).map((s) => [s.entity_ref, s]));
    const toWrite: ProcessedItem[] = [];
    const errorUpdates: Array<{ id: string; errors: EntityStatusItem[] }> = [];
    for (const item of batch) {
      const mine = owned.get(item.entityRef);
      const other = others.get(item.entityRef);
      if (other && ((other.location_id && other.location_id !== locationId) || other.provider)) {
        this.errors.push(conflictError(item, other));
        continue;
      }
      emitted.add(item.entityRef);
      if (!item.entity) {
        // Invalid now: keep the last good version (if any) and say why.
        if (mine) errorUpdates.push({ id: mine.id, errors: item.errors.map(toStatusItem) });
        continue;
      }
      // Only this location's own rows can be unchanged: a row it does not own yet (unowned, or
      // another's, which the upsert refuses) is written or refused.
      if (mine && mine.hash === item.hash && !mine.orphan) {
        if (!mine.has_errors) continue;
        // Stored as it is, check problems included (they are part of the hash); its errors may
        // since have been replaced by those of a newer, refused version: put the problems back.
        if (item.status?.length) {
          errorUpdates.push({ id: mine.id, errors: item.status });
          continue;
        }
      }
      toWrite.push(item);
    }

    const { refused } = await writer.upsert(locationId, toWrite, newEntityId);
    if (refused.length > 0) {
      const holders = new Map((await writer.byRefs(refused)).map((s) => [s.entity_ref, s]));
      const refusedSet = new Set(refused);
      for (const item of toWrite) {
        if (!refusedSet.has(item.entityRef)) continue;
        emitted.delete(item.entityRef);
        const holder = holders.get(item.entityRef);
        this.errors.push(holder ? conflictError(item, holder) : refusedError(item.entityRef));
      }
    }
    await writer.setErrors(errorUpdates);
    const written = toWrite.length - refused.length;
    this.written += written;
    if (this.options.analyze && this.written >= this.nextAnalyzeAt) {
      // Each refresh at twice the rows of the one before: a handful of ANALYZEs for any load size.
      this.nextAnalyzeAt = this.written * 2;
      await this.options.analyze();
    }
  }
}

/**
 * Rows written before the first statistics refresh of a bulk load. Without refreshes the
 * planner still sees the tables as they were before the load (or empty) and picks plans whose
 * cost grows with the table, making a 100,000-entity load quadratic.
 */
const ANALYZE_FIRST_AT = 20_000;

/** A ref the upsert refused whose holder is gone by now (it was deleted in between). */
function refusedError(ref: string): LocationError {
  return {
    name: 'ConflictError',
    kind: 'conflict',
    message: `Entity ${ref} is provided by another location or entity provider, which registered it first; this location's definition is ignored`,
    entityRef: ref,
  };
}

function conflictError(item: ProcessedItem, other: StoredEntityState): LocationError {
  return {
    name: 'ConflictError',
    kind: 'conflict',
    message: `Entity ${item.entityRef} from ${item.sourceFile} conflicts with the same entity already provided by ${other.provider ? `entity provider ${other.provider}` : (other.source_file ?? 'another location')}; the first location keeps it, this definition is ignored`,
    file: item.sourceFile,
    entityRef: item.entityRef,
  };
}

/** A processing error as a Backstage status item on the entity. */
export function toStatusItem(e: IngestionError): EntityStatusItem {
  e = { ...e, message: withConfigKeys(e.message) };
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
