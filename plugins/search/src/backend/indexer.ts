import type { Db, Logger, SearchCollator, SearchCollatorRegistry, SearchDocumentSink } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import type { SearchStatusResponse, SearchTypeStatus } from '../common/index.js';
import { DocumentStore } from './store.js';

interface StateRow {
  type: string;
  version: string;
  state: SearchTypeStatus['state'];
  generation: string | number;
  indexed: number;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  error: string | null;
  builder?: string | null;
  heartbeat_at?: Date | null;
}

/** What a rebuild request did, type by type. */
export interface RebuildOutcome {
  /** Claimed here: building now. */
  started: string[];
  /** Already building on this replica: the running build goes on. */
  joined: string[];
  /** Another replica is building it: followed, taken over if it stops reporting progress. */
  following: string[];
}

/** A build whose builder has not reported progress for this long is taken over by another replica. */
export const BUILD_STALE_SECONDS = 60;

/**
 * Keeps the index in step with the registered collators: a type is built in full when it has
 * never been built or its collator's version changed (or an admin asks), and otherwise follows
 * the collator's single-document changes.
 */
export class Indexer {
  readonly store: DocumentStore;
  private readonly collators = new Map<string, SearchCollator>();
  private readonly builds = new Map<string, Promise<void>>();
  private readonly unsubscribes: Array<() => void> = [];
  private readonly abort = new AbortController();
  private readonly rechecks = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    /** This replica (`instance.replicaId`): a full build is claimed in the database, once across replicas. */
    private readonly replicaId = 'local',
  ) {
    this.store = new DocumentStore(db);
  }

  /** Follows the registry: every collator, now and later. */
  attach(registry: SearchCollatorRegistry): void {
    this.unsubscribes.push(registry.onRegister((c) => void this.add(c)));
  }

  types(): string[] {
    return [...this.collators.keys()].sort();
  }

  private async add(collator: SearchCollator): Promise<void> {
    this.collators.set(collator.type, collator);
    if (collator.subscribe) this.unsubscribes.push(collator.subscribe(this.sink(collator.type)));
    try {
      const state = await this.db<StateRow>('index_state').where({ type: collator.type }).first();
      if (!state || state.version !== collator.version || state.state !== 'ready')
        await this.rebuild(collator.type, state ? `version ${state.version} → ${collator.version} or unfinished` : 'no index');
    } catch (e) {
      this.logger.error({ err: e, type: collator.type }, 'search: could not check the index');
    }
  }

  private sink(type: string): SearchDocumentSink {
    const log = (what: string) => (e: unknown) => {
      this.logger.warn({ err: e, type }, `search: could not ${what}`);
    };
    return {
      upsert: async (docs) => this.store.upsert(type, docs, await this.store.generationOf(type)).catch(log('index a change')),
      remove: (keys) => this.store.remove(type, keys).catch(log('remove a document')),
      replaceForEntity: (entityRef, docs) => this.store.replaceForEntity(type, entityRef, docs).catch(log('replace documents')),
    };
  }

  /** Starts a full build of one type (or joins the running one); resolves when it ends. */
  rebuild(type: string, reason: string): Promise<void> {
    const running = this.builds.get(type);
    if (running) return running;
    const collator = this.collators.get(type);
    if (!collator) return Promise.resolve();
    const run = this.build(collator, reason).finally(() => this.builds.delete(type));
    this.builds.set(type, run);
    return run;
  }

  /**
   * An admin's rebuild request: the builds of `types` are claimed in one transaction together with
   * `inTransaction` (the request's audit record), so the claims and the record are stored together
   * or not at all; the builds run after the commit, in the background. A type already building on
   * this replica is joined, one another replica builds is followed (as {@link rebuild} does).
   * Resolves once the transaction has committed, with what was started.
   */
  async requestRebuild(
    types: string[],
    reason: string,
    inTransaction: (trx: Knex.Transaction, outcome: RebuildOutcome) => Promise<void>,
  ): Promise<RebuildOutcome> {
    const outcome: RebuildOutcome = { started: [], joined: [], following: [] };
    const claims = new Map<string, number>();
    let committed = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fresh: SearchCollator[] = [];
    for (const type of types) {
      const collator = this.collators.get(type);
      if (!collator) continue;
      if (this.builds.has(type)) {
        outcome.joined.push(type);
        continue;
      }
      // Reserved now, so no other build of the type starts here while the claim is being written.
      fresh.push(collator);
      const run = gate
        .then(() => {
          const generation = claims.get(type);
          if (!committed) return;
          if (generation === undefined) {
            this.logger.info({ type, reason }, 'search: another replica is building the index; following it');
            this.recheckLater(type);
            return;
          }
          return this.run(collator, generation, reason);
        })
        .finally(() => this.builds.delete(type));
      this.builds.set(type, run);
    }
    try {
      await this.db.transaction(async (trx) => {
        for (const collator of fresh) {
          const generation = await this.claim(collator, trx);
          if (generation === undefined) outcome.following.push(collator.type);
          else {
            claims.set(collator.type, generation);
            outcome.started.push(collator.type);
          }
        }
        await inTransaction(trx, outcome);
      });
      committed = true;
    } finally {
      release();
    }
    return outcome;
  }

  /**
   * Claims a full build of the type: the next generation, written first (single changes arriving
   * during the build are written with it and survive the sweep). The row is the claim: a replica
   * whose build is fresh (progress reported within BUILD_STALE_SECONDS) keeps it, and another
   * replica leaves the type alone. The generation, or undefined when another replica has it.
   */
  private async claim(collator: SearchCollator, trx: Db = this.db): Promise<number | undefined> {
    const generation = (await this.store.generationOf(collator.type, trx)) + 1;
    const claimed = (await trx.raw(
      `insert into index_state (type, version, state, generation, indexed, started_at, finished_at, duration_ms, error, builder, heartbeat_at)
       values (?, ?, 'building', ?, 0, now(), null, null, null, ?, now())
       on conflict (type) do update set version = excluded.version, state = 'building', generation = excluded.generation,
         indexed = 0, started_at = now(), finished_at = null, error = null, builder = excluded.builder, heartbeat_at = now()
       where index_state.state <> 'building' or index_state.builder = excluded.builder or index_state.heartbeat_at is null
         or index_state.heartbeat_at < now() - make_interval(secs => ?)
       returning type`,
      [collator.type, collator.version, generation, this.replicaId, BUILD_STALE_SECONDS],
    )) as { rows: unknown[] };
    return claimed.rows.length === 0 ? undefined : generation;
  }

  private async build(collator: SearchCollator, reason: string): Promise<void> {
    const generation = await this.claim(collator);
    if (generation === undefined) {
      this.logger.info({ type: collator.type, reason }, 'search: another replica is building the index; following it');
      this.recheckLater(collator.type);
      return;
    }
    await this.run(collator, generation, reason);
  }

  /** Collates every document of a claimed type into `generation`, then drops the older ones. */
  private async run(collator: SearchCollator, generation: number, reason: string): Promise<void> {
    const started = Date.now();
    const type = collator.type;
    this.logger.info({ type, reason }, 'search: building the index');
    let indexed = 0;
    try {
      for await (const batch of collator.collate(this.abort.signal)) {
        await this.store.upsert(type, batch, generation);
        indexed += batch.length;
        await this.db('index_state').where({ type, builder: this.replicaId }).update({ indexed, heartbeat_at: new Date() });
      }
      if (this.abort.signal.aborted) return;
      const removed = await this.store.removeOlder(type, generation);
      await this.db('index_state')
        .where({ type, builder: this.replicaId })
        .update({ state: 'ready', finished_at: new Date(), duration_ms: Date.now() - started, indexed });
      this.logger.info({ type, indexed, removed, ms: Date.now() - started }, 'search: index built');
    } catch (e) {
      await this.db('index_state')
        .where({ type, builder: this.replicaId })
        .update({ state: 'failed', error: (e as Error).message.slice(0, 2000), finished_at: new Date() })
        .catch(() => undefined);
      this.logger.error({ err: e, type }, 'search: index build failed');
    }
  }

  /** Looks again once the other builder's claim could be stale: it finished, or it died and the build is taken over here. */
  private recheckLater(type: string): void {
    if (this.abort.signal.aborted || this.rechecks.has(type)) return;
    const timer = setTimeout(
      () => {
        this.rechecks.delete(type);
        void this.db<StateRow>('index_state')
          .where({ type })
          .first()
          .then((state) => (state?.state === 'ready' ? undefined : this.rebuild(type, 'the other builder stopped reporting progress')))
          .catch((e: unknown) => this.logger.warn({ err: e, type }, 'search: could not check the index'));
      },
      BUILD_STALE_SECONDS * 1000 + 1000,
    );
    timer.unref();
    this.rechecks.set(type, timer);
  }

  /** Resolves when no build is running and no collator has changes queued (tests, the bench). */
  async idle(): Promise<void> {
    for (;;) {
      while (this.builds.size > 0) await Promise.allSettled([...this.builds.values()]);
      await Promise.allSettled([...this.collators.values()].map((c) => c.idle?.()));
      if (this.builds.size === 0) return;
    }
  }

  async status(): Promise<SearchStatusResponse> {
    const rows = await this.db<StateRow>('index_state').select('*');
    const counts = await this.store.counts();
    const byType = new Map(rows.map((r) => [r.type, r]));
    const types = this.types().map((type): SearchTypeStatus => {
      const c = this.collators.get(type)!;
      const r = byType.get(type);
      const s: SearchTypeStatus = { type, title: c.title ?? type, version: c.version, state: r?.state ?? 'pending', documents: counts.get(type) ?? 0 };
      if (r?.state === 'building') s.progress = { indexed: r.indexed };
      if (r?.started_at) s.lastBuildStartedAt = new Date(r.started_at).toISOString();
      if (r?.finished_at) s.lastBuildFinishedAt = new Date(r.finished_at).toISOString();
      if (r?.duration_ms != null) s.lastBuildDurationMs = r.duration_ms;
      if (r?.error) s.error = r.error;
      return s;
    });
    const size = (await this.db.raw(`select pg_total_relation_size('documents') as bytes`)) as { rows: Array<{ bytes: string | number }> };
    return { types, documents: types.reduce((n, t) => n + t.documents, 0), indexBytes: Number(size.rows[0]?.bytes ?? 0), fuzzy: 'trigram-array' };
  }

  async stop(): Promise<void> {
    this.abort.abort();
    for (const timer of this.rechecks.values()) clearTimeout(timer);
    this.rechecks.clear();
    for (const off of this.unsubscribes) off();
    await Promise.allSettled([...this.builds.values()]);
  }
}
