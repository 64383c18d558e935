import type { Logger, WorkloadService } from '@atrium/backend-plugin-api';
import type { BuildLogEntry } from '../../common/index.js';
import { buildSite } from '../build/buildSite.js';
import { PageRenderPool } from '../render/renderPool.js';
import type { TechdocsSettings } from '../config.js';
import type { SearchIndex } from '../search/searchIndex.js';
import { DocsSourceError } from '../source/DocsSource.js';
import { toPublishedSite, type SiteStore } from '../store/SiteStore.js';
import type { DocsEntities, DocsEntityRow, FinishedBuild } from './docsEntities.js';
import { resolveDocsLocation } from '../source/resolveDocsLocation.js';
import { openDocsTree } from './openDocsTree.js';

export interface DocsBuilderOptions {
  entities: DocsEntities;
  store: SiteStore;
  search: SearchIndex;
  settings: TechdocsSettings;
  logger: Logger;
  replicaId: string;
  /**
   * Told build outcomes once they are recorded, e.g. to announce them to other plugins
   * (scorecards' "TechDocs built" fact): builds that finish close together are told together.
   */
  onFinished?: (outcomes: BuildOutcome[]) => void;
  /** Bulk work (a catalog ingest) that new builds wait for (see WorkloadService.whenIdle for the bound). */
  workload?: Pick<WorkloadService, 'whenIdle'>;
}

/** Local docs folders (resolved paths) found without docs, with the build that found it so. */
type NoDocsSources = Map<string, { entityRef: string; log: BuildLogEntry[] }>;

/** The local folder an entity's docs come from (`dir:` sources), or undefined (git, or a bad reference). */
function localFolderOf(row: DocsEntityRow): string | undefined {
  try {
    const location = resolveDocsLocation(row.techdocs_ref, row.location_ref ?? undefined);
    return location.type === 'dir' ? location.path : undefined;
  } catch {
    return undefined;
  }
}

export interface BuildOutcome {
  entityRef: string;
  outcome: 'built' | 'unchanged' | 'failed';
}

/**
 * Most builds claimed at once by one runner. A runner claims one build at a time while builds
 * take long (a rebuild someone asked for never waits behind a claimed batch of real sites), and
 * doubles its claim while they are quick (sources without docs fail in milliseconds): a sync of
 * thousands of them costs a claim per batch.
 */
const CLAIM_BATCH = 16;
/** Outcomes finished this long ago are recorded (and announced) before the next build starts. */
const RECORD_AFTER_MS = 250;
/** Claims held longer than this since their last renewal are renewed before the next build starts. */
const RENEW_AFTER_MS = 15_000;

/**
 * Runs queued builds on this replica: up to `builder.concurrency` runners each claim a few
 * entities at a time from `docs_entities` and build them one after the other (build the site,
 * publish it, index it). Outcomes are recorded and announced together for builds that finish
 * close together (a sync of sources without docs fails thousands of builds in a few seconds),
 * and right after a slow build. Polls the queue, and is woken at once when this replica queues
 * a build.
 */
export class DocsBuilder {
  private timer: NodeJS.Timeout | undefined;
  private running = new Set<Promise<void>>();
  /** How many builds the next claim asks for (see CLAIM_BATCH). */
  private claimSize = 1;
  private draining = false;
  private stopped = false;
  private readonly abort = new AbortController();
  /** This builder's render thread: Markdown never renders on the thread serving HTTP. */
  private readonly renderPool = new PageRenderPool();
  /** Count of builds this replica ran (for tests and metrics). */
  builds = 0;
  /** The last builds this replica ran, newest last (for tests and the system view). */
  readonly history: Array<{ entityRef: string; startedAt: number; finishedAt: number; outcome: string }> = [];

  constructor(private readonly o: DocsBuilderOptions) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.o.settings.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.abort.abort();
    await Promise.allSettled([...this.running]);
    await this.renderPool.close();
  }

  /** Looks for queued builds now. */
  wake(): void {
    if (this.stopped || this.draining) return;
    this.draining = true;
    void this.drain()
      .catch((e) => this.o.logger.warn({ err: e }, 'techdocs: could not claim a build'))
      .finally(() => {
        this.draining = false;
      });
  }

  /** Resolves when every build currently running on this replica has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.draining) await Promise.allSettled([...this.running, new Promise((r) => setTimeout(r, 20))]);
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.running.size < this.o.settings.concurrency) {
      // Builds start after an ingest (or once it stalls), not in the middle of it.
      await this.o.workload?.whenIdle();
      if (this.stopped) return;
      const rows = await this.o.entities.claimMany(this.o.replicaId, this.leaseSeconds(), this.claimSize);
      if (rows.length === 0) return;
      const run = this.runClaimed(rows).finally(() => {
        this.running.delete(run);
        this.wake();
      });
      this.running.add(run);
    }
  }

  /**
   * Builds claimed rows one after the other. Finished builds are recorded in one write once the
   * oldest has waited RECORD_AFTER_MS (checked after each build) and at the end; claims not yet
   * recorded are renewed before a build when RENEW_AFTER_MS have passed, so each build starts with
   * at least its timeout left on every claim this runner holds.
   */
  private async runClaimed(rows: Array<DocsEntityRow & { requested_force: boolean }>): Promise<void> {
    const finished: Array<FinishedBuild & { entityRef: string }> = [];
    const noDocs: NoDocsSources = new Map();
    const startedAt = Date.now();
    let oldestFinishedAt = 0;
    let renewedAt = Date.now();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (this.stopped) {
        // Stopping: the builds not started are queued again at once (not when their lease expires).
        const rest = rows.slice(i).map((r) => ({ entityRef: r.entity_ref, force: r.requested_force }));
        await this.o.entities
          .release(rest, this.o.replicaId)
          .catch((e: unknown) => this.o.logger.warn({ err: e }, 'techdocs: could not give back claimed builds'));
        break;
      }
      if (Date.now() - renewedAt > RENEW_AFTER_MS) {
        const held = [...finished.map((f) => f.entityRef), ...rows.slice(i).map((r) => r.entity_ref)];
        await this.o.entities
          .renewMany(held, this.o.replicaId, this.leaseSeconds())
          .catch((e: unknown) => this.o.logger.warn({ err: e }, 'techdocs: could not renew build claims'));
        renewedAt = Date.now();
      }
      const result = await this.run(row, row.requested_force, noDocs);
      if (finished.length === 0) oldestFinishedAt = Date.now();
      finished.push(result);
      if (Date.now() - oldestFinishedAt >= RECORD_AFTER_MS) await this.record(finished.splice(0));
    }
    await this.record(finished.splice(0));
    const quick = (Date.now() - startedAt) / rows.length < RECORD_AFTER_MS;
    this.claimSize = quick ? Math.min(CLAIM_BATCH, this.claimSize * 2) : 1;
  }

  /** Records finished builds (one write), then tells onFinished. */
  private async record(finished: Array<FinishedBuild & { entityRef: string }>): Promise<void> {
    if (finished.length === 0) return;
    try {
      await this.o.entities.finishMany(this.o.replicaId, finished);
    } catch (e) {
      this.o.logger.warn({ err: e, entityRefs: finished.map((f) => f.entityRef) }, 'techdocs: could not record build results');
    }
    this.o.onFinished?.(finished.map((f) => ({ entityRef: f.entityRef, outcome: f.outcome })));
  }

  private leaseSeconds(): number {
    return this.o.settings.timeoutSeconds + 30;
  }

  /**
   * Builds one claimed entity; the caller records the result. `noDocs`: local folders found
   * without docs by earlier builds of the same claim (many entities of one catalog file point
   * `dir:.` at one folder); such an entity fails with that build's log without reading the
   * folder again, unless the build was forced.
   */
  private async run(row: DocsEntityRow, force: boolean, noDocs: NoDocsSources): Promise<FinishedBuild & { entityRef: string }> {
    const { store, search, settings, logger } = this.o;
    const started = Date.now();
    const triplet = { namespace: row.namespace, kind: row.kind, name: row.name };
    const timeout = AbortSignal.timeout(settings.timeoutSeconds * 1000);
    const signal = AbortSignal.any([timeout, this.abort.signal]);
    this.builds++;
    let log: BuildLogEntry[] = [];
    let outcome: 'built' | 'unchanged' | 'failed' = 'failed';
    let sourceHash: string | null = null;
    let revision: string | null = null;
    let siteName: string | null = null;
    const folder = localFolderOf(row);
    const known = folder !== undefined && !force ? noDocs.get(folder) : undefined;
    if (known) {
      this.history.push({ entityRef: row.entity_ref, startedAt: started, finishedAt: Date.now(), outcome });
      if (this.history.length > 200) this.history.shift();
      logger.info({ entityRef: row.entity_ref, outcome, durationMs: 0, sameFolderAs: known.entityRef }, 'techdocs build failed');
      const log = [...known.log, { level: 'info' as const, message: `The same folder was found without docs for ${known.entityRef} a moment earlier` }];
      return { entityRef: row.entity_ref, outcome, durationMs: Date.now() - started, log, sourceHash, revision, siteName };
    }
    try {
      const tree = await openDocsTree(row.techdocs_ref, row.location_ref, settings, signal);
      const hasSite = row.built_at !== null && (await store.getSite(row.entity_ref, triplet)) !== undefined;
      const result = await buildSite({
        tree,
        triplet,
        entityTitle: row.title,
        limits: settings.limits,
        allowedIframeHosts: settings.allowedIframeHosts,
        previousHash: hasSite ? row.source_hash : null,
        force,
        signal,
        renderPool: this.renderPool,
      });
      log = result.log;
      outcome = result.outcome;
      sourceHash = result.sourceHash;
      if (result.noDocs && folder !== undefined) noDocs.set(folder, { entityRef: row.entity_ref, log });
      if (result.site) {
        const builtMs = Date.now() - started;
        const published = toPublishedSite(row.entity_ref, triplet, result.site, new Date());
        await store.publish(published);
        const publishedAt = Date.now();
        await search.replace(row.entity_ref, result.site.pages);
        log = [
          ...log,
          {
            level: 'info',
            message: `Timing: read and rendered in ${builtMs} ms, stored in ${publishedAt - started - builtMs} ms, indexed for search in ${Date.now() - publishedAt} ms`,
          },
        ];
        revision = result.site.revision;
        siteName = result.site.siteName;
      }
    } catch (e) {
      outcome = 'failed';
      const message = e instanceof DocsSourceError ? e.message : `Build failed: ${(e as Error).message}`;
      log = [...log, { level: 'error', message }];
      if (e instanceof DocsSourceError && e.kind === 'not-found' && folder !== undefined) noDocs.set(folder, { entityRef: row.entity_ref, log });
      if (!(e instanceof DocsSourceError)) logger.warn({ err: e, entityRef: row.entity_ref }, 'techdocs build failed');
    }
    const durationMs = Date.now() - started;
    this.history.push({ entityRef: row.entity_ref, startedAt: started, finishedAt: Date.now(), outcome });
    if (this.history.length > 200) this.history.shift();
    logger.info({ entityRef: row.entity_ref, outcome, durationMs }, `techdocs build ${outcome}`);
    return { entityRef: row.entity_ref, outcome, durationMs, log, sourceHash, revision, siteName };
  }
}
