import { CoalescingQueue, type Logger, type WorkloadService } from '@atrium/backend-plugin-api';
import type { Entity } from '@atrium/catalog-model';
import type { CatalogService } from '@atrium/plugin-catalog/backend';
import type { CatalogChangesStatus, DefinitionError, InitiativeDefinition } from '../common/index.js';
import { readRawDefinitions, INITIATIVE_KIND, SCORECARD_KIND, type ScorecardsConfig } from './config.js';
import { loadDefinitions, type LoadedScorecard, type LoadResult } from './definitions.js';
import { BUILT_IN_RELATION_TYPES } from './engine.js';
import { Evaluator, type SweepStats } from './evaluator.js';
import type { FactProvider } from './facts/types.js';
import { coalesced } from './coalesce.js';
import { trackInitiative } from './initiatives.js';
import type { Notifier } from './notifier.js';
import type { ScorecardStore } from './store.js';

/** Changes processed together: one catalog read, one scorecards read and one write per batch. */
const EVENT_BATCH_SIZE = 500;
const DEFINITION_KINDS = [SCORECARD_KIND, INITIATIVE_KIND];
const DEFINITION_REF = /^(scorecard|initiative):/i;

/**
 * The scorecards plugin at run time: the fact providers, the loaded definitions, and the work
 * triggered by catalog events and the schedule. Definitions are re-read on every sweep and
 * whenever a Scorecard or Initiative entity changes, so nothing lives only in memory.
 */
export class ScorecardsRuntime {
  readonly providers: FactProvider[] = [];
  private loaded: LoadResult = { scorecards: [], initiatives: [], errors: [] };
  readonly evaluator: Evaluator;
  lastSweep: (SweepStats & { finishedAt: string }) | undefined;
  /** Whether a sweep runs in this process now. */
  sweeping = false;
  /**
   * Catalog changes (and other reasons to evaluate an entity again), coalesced per entity ref and
   * evaluated by one worker, a batch at a time: a bulk ingest costs a read and a write per batch.
   */
  private readonly changes: CoalescingQueue<'changed' | 'removed'>;
  /** Definitions must be read again before the next batch (never read yet, or a definition changed). */
  private definitionsStale = true;
  private readonly progress = { heard: 0, batches: 0, entities: 0, lastBatchAt: null as string | null, caughtUpAt: null as string | null };
  /** A batch is being evaluated. */
  private applying = false;
  private stopped = false;
  /** Ends the wait between two batches early (stopping). */
  private endPause: (() => void) | undefined;

  constructor(
    private readonly deps: {
      config: ScorecardsConfig;
      catalog: CatalogService;
      store: ScorecardStore;
      notifier: Notifier;
      logger: Logger;
      /** Every relation type conditions may name: the built-in ones and those of custom kinds. */
      relationTypes?: readonly string[];
      /** Bulk work (a catalog ingest) that batches wait for, so its changes coalesce and are evaluated after it. */
      workload?: Pick<WorkloadService, 'whenIdle'>;
    },
  ) {
    this.evaluator = new Evaluator({
      store: deps.store,
      catalog: deps.catalog,
      logger: deps.logger,
      notifier: deps.notifier,
      providers: () => this.providers,
      definitions: () => this.loaded,
      relationTypes: this.relationTypes,
    });
    this.changes = new CoalescingQueue<'changed' | 'removed'>((batch) => this.applyChanges(batch), {
      batchSize: EVENT_BATCH_SIZE,
      onError: (err, keys) => deps.logger.error({ err, keys }, 'scorecards: could not evaluate changed entities; retrying'),
      // An ingest's changes are evaluated once it ends (see WorkloadService for the bound on the wait).
      ...(deps.workload ? { yieldTo: deps.workload } : {}),
    });
  }

  get scorecards(): LoadedScorecard[] {
    return this.loaded.scorecards;
  }
  get initiatives(): InitiativeDefinition[] {
    return this.loaded.initiatives;
  }
  get errors(): DefinitionError[] {
    return this.loaded.errors;
  }
  scorecard(id: string): LoadedScorecard | undefined {
    return this.loaded.scorecards.find((s) => s.definition.id === id);
  }

  knownFacts(): Set<string> {
    return new Set(this.providers.flatMap((p) => p.facts));
  }

  get relationTypes(): readonly string[] {
    return [...new Set([...BUILT_IN_RELATION_TYPES, ...(this.deps.relationTypes ?? [])])];
  }

  registerFactProvider(provider: FactProvider): void {
    if (this.providers.some((p) => p.id === provider.id)) throw new Error(`A fact provider with id "${provider.id}" is already registered`);
    this.providers.push(provider);
  }

  async reloadDefinitions(): Promise<void> {
    this.definitionsStale = false;
    const raw = await readRawDefinitions(this.deps.config, this.deps.catalog);
    this.loaded = loadDefinitions(raw.scorecards, raw.initiatives, { facts: this.knownFacts(), relations: new Set(this.relationTypes) });
    for (const e of this.loaded.errors) this.deps.logger.warn({ ...e }, `scorecards: definition rejected: ${e.message}`);
  }

  /**
   * The scheduled job: reload definitions, evaluate everything, snapshot trends and initiatives.
   * A start triggers several at once (the schedule, and each Scorecard or Initiative entity the
   * catalog loads); they are coalesced, so this process never runs two side by side.
   */
  sweep(signal?: AbortSignal): Promise<SweepStats> {
    this.sweepSignal = signal;
    return this.coalescedSweep();
  }
  private sweepSignal: AbortSignal | undefined;
  private readonly coalescedSweep = coalesced(() => this.sweepOnce(this.sweepSignal));

  private async sweepOnce(signal?: AbortSignal): Promise<SweepStats> {
    this.sweeping = true;
    try {
      return await this.sweepSteps(signal);
    } finally {
      this.sweeping = false;
    }
  }

  private async sweepSteps(signal?: AbortSignal): Promise<SweepStats> {
    await this.reloadDefinitions();
    const stats = await this.evaluator.evaluateAll(signal);
    const now = new Date();
    await this.deps.store.snapshotDaily(now.toISOString().slice(0, 10));
    for (const initiative of this.initiatives) {
      const scorecard = this.scorecard(initiative.scorecard);
      if (scorecard) await trackInitiative(initiative, scorecard.definition, this.deps.catalog, this.deps.store, this.deps.notifier, now);
    }
    this.lastSweep = { ...stats, finishedAt: now.toISOString() };
    this.deps.logger.info(stats, 'scorecards: evaluation sweep finished');
    return stats;
  }

  /**
   * Queues an entity for evaluation (a catalog change, an exemption, a TechDocs build). Queued
   * entities are evaluated in batches of up to EVENT_BATCH_SIZE, each entity once however often it
   * was queued meanwhile.
   */
  enqueue(entityRef: string): void {
    if (this.stopped) return;
    this.progress.heard++;
    this.changes.add(entityRef.toLowerCase(), 'changed');
  }

  /** Queues the removal of an entity's results and facts (it left the catalog). */
  removed(entityRef: string): void {
    if (this.stopped) return;
    this.progress.heard++;
    if (DEFINITION_REF.test(entityRef)) this.definitionsStale = true;
    this.changes.add(entityRef.toLowerCase(), 'removed');
  }

  /** A Scorecard or Initiative entity changed: the next batch reads definitions again. */
  definitionsChanged(): void {
    this.definitionsStale = true;
  }

  /** Resolves once every queued entity has been evaluated (tests; the bench reads catalogChanges()). */
  idle(): Promise<void> {
    return this.changes.idle();
  }

  /** Whether this process has caught up with the changes it heard (GET /status, `catalogChanges`). */
  catalogChanges(): CatalogChangesStatus {
    const queued = this.changes.size;
    return { idle: queued === 0 && !this.applying, queued, ...this.progress };
  }

  private async applyChanges(batch: Map<string, 'changed' | 'removed'>): Promise<void> {
    this.applying = true;
    const heardBefore = this.progress.heard;
    try {
      const changed = [...batch].filter(([, what]) => what === 'changed').map(([ref]) => ref);
      const gone = [...batch].filter(([, what]) => what === 'removed').map(([ref]) => ref);
      const entities: Entity[] = [];
      if (changed.length) {
        const found = await this.deps.catalog.getEntitiesByRefs(changed);
        for (const [i, entity] of found.entries()) {
          if (entity) entities.push(entity);
          else gone.push(changed[i]!); // no longer in the catalog (removed since it was queued)
        }
      }
      if (this.definitionsStale || entities.some((e) => DEFINITION_KINDS.includes(e.kind)) || gone.some((r) => DEFINITION_REF.test(r))) {
        await this.reloadDefinitions();
      }
      await this.evaluator.evaluateEntities(entities, { trigger: 'event', removed: gone });
      this.progress.batches++;
      this.progress.entities += batch.size;
      this.progress.lastBatchAt = new Date().toISOString();
    } finally {
      this.applying = false;
    }
    if (this.changes.size === 0) this.progress.caughtUpAt = new Date().toISOString();
    // Changes arrived while this batch ran, but not a full batch of them: something is producing
    // them. Give it the room before the next batch; changes to the same entities meanwhile are
    // evaluated once. A backlog of a full batch or more (catching up after an ingest) goes on at once:
    // waiting would coalesce nothing more into a batch that is already full.
    else if (this.progress.heard > heardBefore && this.changes.size < EVENT_BATCH_SIZE && this.deps.config.eventBatchMs > 0 && !this.stopped) {
      await new Promise<void>((resolve) => {
        this.endPause = resolve;
        setTimeout(resolve, this.deps.config.eventBatchMs).unref();
      });
      this.endPause = undefined;
    }
  }

  /** Stops following changes; resolves when a batch still running has finished. */
  stop(): Promise<void> {
    this.stopped = true;
    this.changes.stop();
    this.endPause?.();
    return this.changes.idle();
  }
}
