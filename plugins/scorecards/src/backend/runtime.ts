import type { Logger } from '@atrium/backend-plugin-api';
import type { CatalogService } from '@atrium/plugin-catalog/backend';
import type { DefinitionError, InitiativeDefinition } from '../common/index.js';
import { readRawDefinitions, INITIATIVE_KIND, SCORECARD_KIND, type ScorecardsConfig } from './config.js';
import { loadDefinitions, type LoadedScorecard, type LoadResult } from './definitions.js';
import { BUILT_IN_RELATION_TYPES } from './engine.js';
import { Evaluator, type SweepStats } from './evaluator.js';
import { refOf } from './facts/builtins.js';
import type { FactProvider } from './facts/types.js';
import { coalesced } from './coalesce.js';
import { trackInitiative } from './initiatives.js';
import type { Notifier } from './notifier.js';
import type { ScorecardStore } from './store.js';

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
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly deps: {
      config: ScorecardsConfig;
      catalog: CatalogService;
      store: ScorecardStore;
      notifier: Notifier;
      logger: Logger;
      /** Every relation type conditions may name: the built-in ones and those of custom kinds. */
      relationTypes?: readonly string[];
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

  /** Queues an entity for evaluation; queued refs are evaluated together after a short delay. */
  enqueue(entityRef: string): void {
    if (this.stopped) return;
    this.pending.add(entityRef.toLowerCase());
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.draining = this.draining.then(() => this.drain()).catch((err: unknown) => this.deps.logger.error({ err }, 'scorecards: event evaluation failed'));
    }, this.deps.config.eventBatchMs);
  }

  /** Resolves once every queued entity has been evaluated (used by tests and the bench). */
  async idle(): Promise<void> {
    while (this.timer || this.pending.size) {
      await new Promise((r) => setTimeout(r, 20));
      await this.draining;
    }
    await this.draining;
  }

  private async drain(): Promise<void> {
    const refs = [...this.pending];
    this.pending.clear();
    if (!refs.length) return;
    const entities = (await this.deps.catalog.getEntitiesByRefs(refs)).filter((e) => !!e);
    const definitionsChanged = entities.some((e) => [SCORECARD_KIND, INITIATIVE_KIND].includes(e.kind));
    if (definitionsChanged || !this.loaded.scorecards.length) await this.reloadDefinitions();
    const found = new Set(entities.map(refOf));
    const missing = refs.filter((r) => !found.has(r));
    for (const ref of missing) await this.deps.store.deleteEntity(ref);
    await this.evaluator.evaluateEntities(entities, { trigger: 'event' });
  }

  async removed(entityRef: string): Promise<void> {
    await this.deps.store.deleteEntity(entityRef.toLowerCase());
    if (/^(scorecard|initiative):/i.test(entityRef)) await this.reloadDefinitions();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
