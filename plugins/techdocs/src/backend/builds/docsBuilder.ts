import type { Logger, WorkloadService } from '@atrium/backend-plugin-api';
import type { BuildLogEntry } from '../../common/index.js';
import { buildSite } from '../build/buildSite.js';
import { PageRenderPool } from '../render/renderPool.js';
import type { TechdocsSettings } from '../config.js';
import type { SearchIndex } from '../search/searchIndex.js';
import { DocsSourceError } from '../source/DocsSource.js';
import { toPublishedSite, type SiteStore } from '../store/SiteStore.js';
import type { DocsEntities, DocsEntityRow } from './docsEntities.js';
import { openDocsTree } from './openDocsTree.js';

export interface DocsBuilderOptions {
  entities: DocsEntities;
  store: SiteStore;
  search: SearchIndex;
  settings: TechdocsSettings;
  logger: Logger;
  replicaId: string;
  /** Told every build outcome, e.g. to announce it to other plugins (scorecards' "TechDocs built" fact). */
  onFinished?: (entityRef: string, outcome: 'built' | 'unchanged' | 'failed') => void;
  /** Bulk work (a catalog ingest) that new builds wait for (at most 10 s at a time). */
  workload?: Pick<WorkloadService, 'whenIdle'>;
}

/**
 * Runs queued builds on this replica: claims one entity at a time from `docs_entities`
 * (up to `builder.concurrency` at once), builds its site, publishes it and indexes it.
 * Polls the queue, and is woken at once when this replica queues a build.
 */
export class DocsBuilder {
  private timer: NodeJS.Timeout | undefined;
  private running = new Set<Promise<void>>();
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
      // Builds start after an ingest (or between its 10 s waits), not in the middle of it.
      await this.o.workload?.whenIdle();
      if (this.stopped) return;
      const row = await this.o.entities.claim(this.o.replicaId, this.leaseSeconds());
      if (!row) return;
      const run = this.run(row, row.requested_force).finally(() => {
        this.running.delete(run);
        this.wake();
      });
      this.running.add(run);
    }
  }

  private leaseSeconds(): number {
    return this.o.settings.timeoutSeconds + 30;
  }

  private async run(row: DocsEntityRow, force: boolean): Promise<void> {
    const { entities, store, search, settings, logger, replicaId } = this.o;
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
      if (!(e instanceof DocsSourceError)) logger.warn({ err: e, entityRef: row.entity_ref }, 'techdocs build failed');
    }
    const durationMs = Date.now() - started;
    try {
      await entities.finish(row.entity_ref, replicaId, { outcome, durationMs, log, sourceHash, revision, siteName });
    } catch (e) {
      logger.warn({ err: e, entityRef: row.entity_ref }, 'techdocs: could not record a build result');
    }
    this.history.push({ entityRef: row.entity_ref, startedAt: started, finishedAt: Date.now(), outcome });
    if (this.history.length > 200) this.history.shift();
    logger.info({ entityRef: row.entity_ref, outcome, durationMs }, `techdocs build ${outcome}`);
    this.o.onFinished?.(row.entity_ref, outcome);
  }
}
