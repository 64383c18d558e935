import type { BulkWork, EventLogService, Logger, WorkloadService } from '@atrium/backend-plugin-api';
import type { Entity, EntityStatusItem } from '@atrium/catalog-model';
import type { Knex } from 'knex';
import { ENTITY_STATUS_PROCESSING_TYPE, type LocationError } from '../../common/index.js';
import type { CatalogSettings } from '../config.js';
import { locationRefOf, readLocation, type IngestionOptions, type LocationSpec } from '../ingestion/index.js';
import type { EntityWriter } from '../store/entityWriter.js';
import type { LocationRow, LocationsStore } from '../store/locationsStore.js';
import { stitchPending, type StitchedChange } from '../stitching/stitchPending.js';
import { withStitchScope, type StitchScope } from '../store/stitchScope.js';
import { stableStringify } from '../stitching/hash.js';
import { jsonWithoutNul } from '../ingestion/nulCharacters.js';
import { breathe } from '../store/breathe.js';
import { LocationApplier } from './locationApplier.js';
import { fileFingerprint } from './fileFingerprint.js';
import type { CatalogEvents } from './catalogEvents.js';
import { CATALOG_LOG_TOPICS } from '../../common/entityHistory.js';
import { CATALOG_ACTOR } from '../store/entityLog.js';
import { readLocationTree, walkLocationTree, type ReadLocationFn } from './readLocationTree.js';
import type { EntityChecks } from './entityChecks.js';
import { withConfigKeys } from './configHints.js';
import { rows } from '../store/sql.js';
import { DEFER_FULL_TEXT_INDEX_FROM, dropFullTextIndex, ensureFullTextIndex, hasFullTextIndex } from '../store/fullTextIndex.js';
import type { LocationTreeRead } from './types.js';

export interface ProcessorDeps {
  db: Knex;
  locations: LocationsStore;
  writer: EntityWriter;
  settings: CatalogSettings;
  events: CatalogEvents;
  logger: Logger;
  replicaId: string;
  /** Concurrent stitch batches (2 on a Postgres server; PGlite has one session). */
  stitchWorkers?: number;
  read?: ReadLocationFn;
  /** The durable event log: entity changes and location errors are appended in their transactions. */
  eventLog?: EventLogService;
  /** Checks other plugins registered (CatalogService.registerEntityCheck). */
  checks?: EntityChecks;
  /** Where a large read marks itself as bulk work, so plugins' reactions wait for it (see WorkloadService). */
  workload?: WorkloadService;
  /** Entities a stitch serves, at least, before it drops the full-text index for the duration (see fullTextIndex.ts). */
  deferFullTextIndexFrom?: number;
}

/**
 * Entities written by one read from which it counts as bulk work (plugins' reactions wait for it).
 * A location's first read, and a read of a location that held this many, count from their start;
 * so does an entity provider's mutation of this many entities (see EntityProviders).
 */
export const BULK_FROM = 2000;
/** The fewest entities a stitch has stitched before it refreshes the planner's statistics. */
const STATS_FROM = 2000;

/**
 * Reads locations and stores what they yield. A location is processed by whichever replica
 * claims it (see LocationsStore.claim); stitching afterwards drains the shared queue.
 */
export class LocationProcessor {
  private readonly abort = new AbortController();
  /** Locations this process is reading now: never claimed twice here, even if a heartbeat ran late. */
  private readonly active = new Set<string>();
  // Locations whose run is giving its claim back (finish or release under way): see processClaimed.
  private readonly releasing = new Set<string>();

  constructor(private readonly deps: ProcessorDeps) {}

  /** Ingestion options for a location: config locations may read under the config's directories too. */
  ingestionOptions(source: 'config' | 'api', locationRules?: IngestionOptions['rules'], signal: AbortSignal = this.abort.signal): IngestionOptions {
    const { settings } = this.deps;
    return {
      fileRoots: source === 'config' ? settings.staticFileRoots : settings.fileRoots,
      ...settings.readers,
      gitCacheDir: settings.gitCacheDir,
      customKinds: settings.customKinds,
      ...(settings.rules ? { rules: settings.rules } : {}),
      ...(locationRules ? { locationRules } : {}),
      signal,
    };
  }

  /** Reads a location tree without storing anything (dry runs, analyze-location). */
  async readTree(spec: LocationSpec, source: 'config' | 'api' = 'api'): Promise<LocationTreeRead> {
    return readLocationTree(spec, this.ingestionOptions(source), this.deps.read, this.deps.checks);
  }

  /** Claims and processes one due location; false when none is due. */
  async processDue(): Promise<boolean> {
    const row = await this.deps.locations.claim(this.deps.replicaId, this.deps.settings.refreshIntervalSeconds, undefined, [...this.active]);
    if (!row) return false;
    await this.processClaimed(row);
    return true;
  }

  /**
   * Processes the given location now on this replica, waiting up to `waitMs` while another
   * run (here or on another replica) holds it. Returns false if it could not be claimed.
   */
  async processNow(id: string, waitMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const row = await this.deps.locations.claim(this.deps.replicaId, this.deps.settings.refreshIntervalSeconds, id, [...this.active]);
      if (row) {
        await this.processClaimed(row);
        return true;
      }
      if (Date.now() > deadline || this.abort.signal.aborted) return false;
      if (!(await this.deps.locations.get(id))) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Processes a location this replica claimed, renewing the claim (a heartbeat every third of
   * the lease) until it is done. Should the claim be lost anyway (the event loop stalled past
   * the lease and another replica took the location over), this run stops.
   */
  private async processClaimed(row: LocationRow): Promise<void> {
    const { locations, logger, replicaId } = this.deps;
    const run = new AbortController();
    const signal = AbortSignal.any([this.abort.signal, run.signal]);
    this.active.add(row.id);
    // Set once this run gave the claim back itself: a renewal that fails after that lost nothing.
    let done = false;
    const heartbeat = setInterval(
      () => {
        locations.renew(row.id, replicaId).then(
          (held) => {
            if (held || run.signal.aborted || done || this.releasing.has(row.id)) return;
            logger.warn({ location: locationRefOf(row) }, `catalog: lost the claim on location ${locationRefOf(row)} to another replica; stopping this read`);
            run.abort(new Error('the claim on this location was taken over by another replica'));
          },
          (e: unknown) => logger.warn({ err: e, location: locationRefOf(row) }, 'catalog: could not renew a location claim'),
        );
      },
      (locations.leaseSeconds * 1000) / 3,
    );
    heartbeat.unref();
    try {
      await this.readAndStore(row, signal);
    } finally {
      done = true;
      this.releasing.delete(row.id);
      clearInterval(heartbeat);
      this.active.delete(row.id);
    }
  }

  private async readAndStore(row: LocationRow, signal: AbortSignal): Promise<void> {
    const bulk: { end?: BulkWork } = {};
    // A first read may be a whole organisation's catalog: it counts as bulk work before its first
    // write, so plugins' reactions (a docs build, a scorecard sweep) do not compete with its read.
    if (this.deps.workload && (row.last_read_at === null || row.entity_count >= BULK_FROM)) {
      bulk.end = this.deps.workload.beginBulk(`catalog: reading ${locationRefOf(row)}`);
    }
    try {
      await withStitchScope((scope) => this.readAndStoreIn(scope, bulk, row, signal));
    } finally {
      bulk.end?.();
    }
  }

  /**
   * `bulk.end` is set from the start (see readAndStore) or once the read has written BULK_FROM
   * entities: it is bulk work until it has stitched them, and each batch written or stitched
   * reports its progress (waits for it last while it moves, see WorkloadService).
   */
  private async readAndStoreIn(scope: StitchScope, bulk: { end?: BulkWork }, row: LocationRow, signal: AbortSignal): Promise<void> {
    const { locations, writer, settings, logger, replicaId, events } = this.deps;
    const spec: LocationSpec = { type: row.type, target: row.target, presence: row.presence };
    const started = Date.now();
    try {
      // A file-only tree whose files all look untouched needs no re-read (parsing is the expensive part).
      if (!row.force_refresh && row.content_hash && row.fingerprint && Array.isArray(row.files)) {
        if ((await fileFingerprint(row.files)) === row.fingerprint) {
          this.releasing.add(row.id);
          await locations.finish(row.id, replicaId, { contentHash: row.content_hash, errors: row.errors ?? [] });
          return;
        }
      }
      // Items are stored while the rest of the tree is still being read (see LocationApplier).
      const applier = await LocationApplier.start(writer, row.id, {
        orphanStrategy: settings.orphanStrategy,
        analyze: () => this.analyze(['entities', 'relations']),
      });
      const checksVersion = this.deps.checks?.version;
      const tree = await walkLocationTree(
        spec,
        this.ingestionOptions(row.source, row.rules ?? undefined, signal),
        this.deps.read ?? readLocation,
        async (items) => {
          signal.throwIfAborted();
          await applier.add(items);
          if (!bulk.end && this.deps.workload && applier.writtenSoFar >= BULK_FROM) {
            bulk.end = this.deps.workload.beginBulk(`catalog: reading ${locationRefOf(spec)}`);
          }
          bulk.end?.progress();
        },
        this.deps.checks,
      );
      const walkMs = Date.now() - started;
      const fingerprint = tree.probeable ? await fileFingerprint(tree.files) : undefined;
      const probe = { files: fingerprint ? tree.files : null, fingerprint: fingerprint ?? null };
      const applied = await applier.finish(tree);
      // After a bulk load the planner's statistics are stale; refresh them before stitching queries.
      if (applied.written + applied.removedRefs.length > 2000) await this.analyze(['entities', 'relations', 'stitch_queue']);
      const errors = withoutNul([...tree.errors, ...applied.errors]);
      const entityCount = await writer.countOwned(row.id);
      const newErrors = errors.length > 0 && stableStringify(errors) !== stableStringify(row.errors ?? []);
      const eventLog = this.deps.eventLog;
      this.releasing.add(row.id);
      await locations.finish(
        row.id,
        replicaId,
        {
          contentHash: tree.contentHash,
          ...(tree.revision ? { revision: tree.revision } : {}),
          errors,
          entityCount,
          ...probe,
        },
        newErrors && eventLog
          ? (trx) =>
              eventLog
                .append(
                  [
                    {
                      topic: CATALOG_LOG_TOPICS.locationError,
                      actor: CATALOG_ACTOR,
                      payload: { locationId: row.id, target: locationRefOf(spec), errors },
                      meta: { location: locationRefOf(spec), ...(tree.revision ? { commit: tree.revision } : {}) },
                    },
                  ],
                  { trx },
                )
                .then(() => undefined)
          : undefined,
      );
      const summary = {
        location: locationRefOf(spec),
        written: applied.written,
        removed: applied.removedRefs.length,
        errors: errors.length,
        walkMs,
        ms: Date.now() - started,
      };
      if (errors.length === 0) logger.info(summary, `catalog: processed location ${locationRefOf(spec)}`);
      else {
        // Say why, not just how many: the first errors with where they are.
        logger.warn(
          { ...summary, firstErrors: errors.slice(0, 5) },
          `catalog: processed location ${locationRefOf(spec)} with ${errors.length} ${errors.length === 1 ? 'error' : 'errors'}: ${describeErrors(errors)}`,
        );
      }
      if (newErrors) {
        await events.locationError({ locationId: row.id, errors });
      }
      // An entity check was added or changed while this read went on: what it stored of those kinds may have been
      // checked by the old rules, or without the field lines a read asks for only for checked kinds. It is read again
      // if it stored any entity of those kinds. (On a first start plugins register their checks while the catalog
      // reads the whole corpus, which then holds no entity of their kinds more often than not.)
      if (this.deps.checks && checksVersion !== undefined && this.deps.checks.version !== checksVersion) {
        const kinds = this.deps.checks.kindsChangedSince(checksVersion);
        const [found] = await rows<{ found: boolean }>(
          this.deps.db,
          `select exists (select 1 from entities where location_id = ? and split_part(entity_ref, ':', 1) = any(?::text[])) as found`,
          [row.id, kinds],
        );
        if (found?.found) await locations.requestRefresh(row.id);
      }
      await events.removed(applied.removedRefs);
      // The read's bulk work ends once its entities are served: plugins catch up while the tables are vacuumed.
      await this.stitch({ settle: true, scope, onBatch: () => bulk.end?.progress(), onServed: () => bulk.end?.() });
    } catch (e) {
      if (this.abort.signal.aborted) logger.info({ location: locationRefOf(spec) }, `catalog: stopped reading location ${locationRefOf(spec)} (shutting down)`);
      else
        logger.error(
          { err: e, location: locationRefOf(spec) },
          `catalog: processing location ${locationRefOf(spec)} failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      this.releasing.add(row.id);
      await locations.release(row.id, replicaId).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Stitches everything queued (by this or any replica) and publishes the changes. With
   * `settle`, also waits (up to 10 s) for batches another stitcher holds, so an API call that
   * changed something answers only once the change is visible. With `scope`, only what that
   * work queued (see StitchScope): others' queued entities are left to their own stitch.
   */
  async stitch(options: { settle?: boolean; scope?: StitchScope; onBatch?: () => void; onServed?: () => void } = {}): Promise<number> {
    const started = Date.now();
    let changed = 0;
    const deadline = Date.now() + 10_000;
    const refs = options.scope?.targets();
    if (refs?.length === 0) return 0;
    // Statistics while a bulk stitch goes on: without them (autovacuum is off, or PGlite, which has
    // none) the planner takes the growing search table for empty, and a facet or a filtered count
    // asked during a first ingest picks a nested loop that takes seconds. Refreshed each time the
    // entities stitched reach twice the count of the refresh before (at least STATS_FROM, and at
    // least the entities already served): a handful of ANALYZEs for any load, none for small changes.
    let stitchedSoFar = 0;
    let nextStatsAt: number | undefined;
    const fullTextDropped = await this.dropFullTextIndexForBulk(refs);
    const onBatch = async (batch: StitchedChange[]) => {
      options.onBatch?.();
      await this.deps.events.upserted(batch);
      stitchedSoFar += batch.length;
      nextStatsAt ??= Math.max(STATS_FROM, await this.servedEstimate());
      if (stitchedSoFar >= nextStatsAt) {
        nextStatsAt = stitchedSoFar * 2;
        await this.analyze(['search']);
      }
    };
    try {
      changed = await this.stitchUntilSettled(options, refs, deadline, onBatch);
    } finally {
      // Not when shutting down: the next start builds it (ensureFullTextIndex).
      if (fullTextDropped && !this.abort.signal.aborted) await this.rebuildFullTextIndex();
    }
    // A bulk stitch leaves the index tables unvacuumed: vacuum sets the visibility map so counts
    // and facets are index-only scans, and analyze refreshes the statistics.
    if (changed > 0) this.deps.logger.info({ changed, ms: Date.now() - started }, `catalog: stitched ${changed} entities`);
    options.onServed?.();
    if (changed > 2000) await this.analyze(['final_entities', 'search'], true);
    return changed;
  }

  private async stitchUntilSettled(
    options: { settle?: boolean },
    refs: string[] | undefined,
    deadline: number,
    onBatch: (batch: StitchedChange[]) => Promise<void>,
  ): Promise<number> {
    let changed = 0;
    for (;;) {
      changed += await stitchPending(this.deps.db, {
        ...(refs ? { refs } : {}),
        signal: this.abort.signal,
        workers: this.deps.stitchWorkers ?? 1,
        onBatch,
        ...(this.deps.eventLog ? { eventLog: this.deps.eventLog } : {}),
        onFailed: (failed) => {
          for (const f of failed) {
            this.deps.logger.warn({ entityRef: f.entityRef, reason: f.message }, `catalog: entity ${f.entityRef} could not be stitched: ${f.message}`);
          }
        },
      });
      if (!options.settle || this.abort.signal.aborted || Date.now() > deadline) break;
      const queue = this.deps.db('stitch_queue');
      const [pending] = await (refs ? queue.whereRaw('entity_ref = any(?::text[])', [refs]) : queue).count<{ count: string }[]>({ count: '*' });
      if (Number(pending?.count ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return changed;
  }

  /**
   * Drops the full-text index when this stitch serves at least deferFullTextIndexFrom entities and
   * more than are served already (a first load): see fullTextIndex.ts. True when the index is gone
   * then (dropped now, or missing already: a build that failed), so the stitch builds it after.
   */
  private async dropFullTextIndexForBulk(refs: string[] | undefined): Promise<boolean> {
    const from = this.deps.deferFullTextIndexFrom ?? DEFER_FULL_TEXT_INDEX_FROM;
    // Counted up to the threshold only: a stitch with little to do (most are) costs one short query.
    const queued =
      refs?.length ??
      Number((await rows<{ n: number }>(this.deps.db, `select count(*)::int as n from (select 1 from stitch_queue limit ?) q`, [from]))[0]?.n ?? 0);
    if (queued < from) return false;
    const pending = refs?.length ?? Number((await rows<{ n: number }>(this.deps.db, `select count(*)::int as n from stitch_queue`))[0]?.n ?? 0);
    // Served entities, counted up to the stitch's size (exact: the planner's estimate is 0 before an ANALYZE).
    const served = Number(
      (await rows<{ n: number }>(this.deps.db, `select count(*)::int as n from (select 1 from final_entities limit ?) f`, [pending]))[0]?.n ?? 0,
    );
    if (served >= pending) return false;
    if (await dropFullTextIndex(this.deps.db)) {
      this.deps.logger.info({ queued: pending }, `catalog: full-text index dropped while ${pending} queued entities are stitched`);
      return true;
    }
    return !(await hasFullTextIndex(this.deps.db));
  }

  private async rebuildFullTextIndex(): Promise<void> {
    const started = Date.now();
    try {
      if (await ensureFullTextIndex(this.deps.db)) this.deps.logger.info({ ms: Date.now() - started }, 'catalog: full-text index built again');
    } catch (e) {
      // Full-text queries still answer (by scanning the table); the next start builds it.
      this.deps.logger.error({ err: e }, `catalog: building the full-text index failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The planner's count of served entities (0 before the first ANALYZE or VACUUM). */
  private async servedEstimate(): Promise<number> {
    const [row] = await rows<{ n: number }>(
      this.deps.db,
      `select greatest(reltuples, 0)::float8 as n from pg_class where oid = 'final_entities'::regclass`,
      [],
    );
    return Number(row?.n ?? 0);
  }

  private async analyze(tables: string[], vacuum = false): Promise<void> {
    for (const t of tables) {
      await breathe();
      await this.deps.db.raw(`${vacuum ? 'vacuum (analyze)' : 'analyze'} ${t}`).catch((e) => this.deps.logger.warn({ err: e }, `analyze ${t} failed`));
    }
  }

  /**
   * After entity checks on these kinds (lower case) were added or changed: runs them on the
   * stored entities of those kinds, and asks for the locations of those whose problems would
   * differ from the ones stored to be read again (their files may well be unchanged). Returns how
   * many locations that is. A restart whose checks decide as before re-reads nothing.
   */
  async recheckStoredEntities(kinds: readonly string[]): Promise<number> {
    const checks = this.deps.checks;
    if (!checks || kinds.length === 0) return 0;
    const found = await rows<{ location_id: string; processed: Entity | string; errors: EntityStatusItem[] | string | null }>(
      this.deps.db,
      `select location_id, processed, errors from entities where location_id is not null and lower(split_part(entity_ref, ':', 1)) = any(?::text[])`,
      [[...kinds]],
    );
    const stale = new Set<string>();
    const place = { source: { url: '', locationRef: '', line: 1, column: 1 } };
    for (const row of found) {
      if (stale.has(row.location_id)) continue;
      const entity = (typeof row.processed === 'string' ? JSON.parse(row.processed) : row.processed) as Entity;
      const errors = (typeof row.errors === 'string' ? JSON.parse(row.errors) : (row.errors ?? [])) as EntityStatusItem[];
      const stored = errors
        .filter((i) => i.type === ENTITY_STATUS_PROCESSING_TYPE)
        .map((i) => `${String((i.error as { field?: unknown } | undefined)?.field ?? '')}\n${String(i.error?.message ?? i.message)}`)
        .sort();
      const now = (await checks.run(entity, place)).map((e) => `${e.field ?? ''}\n${withConfigKeys(e.message)}`).sort();
      if (stableStringify(stored) !== stableStringify(now)) stale.add(row.location_id);
      await breathe();
    }
    for (const id of stale) await this.deps.locations.requestRefresh(id);
    return stale.size;
  }

  /** Removes a location's entities (unregistering it) and restitches their neighbours. */
  async removeLocationEntities(locationId: string): Promise<string[]> {
    return withStitchScope(async (scope) => {
      const ids = await this.deps.writer.idsOfLocation(locationId);
      const removed = await this.deps.writer.remove(ids);
      await this.deps.events.removed(removed);
      await this.stitch({ settle: true, scope });
      return removed;
    });
  }

  /** Final entities of a location, for the POST /locations answer. */
  async entitiesOfLocation(locationId: string, limit = 1000): Promise<Entity[]> {
    const result = await this.deps
      .db('entities as e')
      .join('final_entities as f', 'f.entity_id', 'e.id')
      .where('e.location_id', locationId)
      .orderBy('e.entity_ref')
      .limit(limit)
      .select('f.final');
    return result.map((r: { final: Entity }) => r.final);
  }

  stop(): void {
    this.abort.abort();
  }
}

/** The first few errors in one line, for a log message. */
function describeErrors(errors: LocationError[]): string {
  const shown = errors.slice(0, 3).map((e) => {
    const where = [e.file ? `${e.file}${e.line ? `:${e.line}` : ''}` : undefined, e.field, e.entityRef].filter(Boolean).join(', ');
    return `${e.message}${where ? ` (${where})` : ''}`;
  });
  return shown.join('; ') + (errors.length > 3 ? `; and ${errors.length - 3} more` : '');
}

/** Errors can quote what they are about; NUL is replaced so they can be stored (jsonb) and sent (NOTIFY). */
function withoutNul(errors: LocationError[]): LocationError[] {
  return JSON.parse(jsonWithoutNul(errors)) as LocationError[];
}
