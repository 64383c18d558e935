import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RenderedPage } from './markdown.js';
import type { RenderRequest, RenderResponse, SiteContext } from './renderProtocol.js';

export type { SiteContext } from './renderProtocol.js';

/** One page's outcome: the page, or why it was not rendered (`budget`: over its time budget). */
export type PageRenderOutcome =
  { ok: true; page: RenderedPage; warnings: string[]; usedAssets: string[] } | { ok: false; reason: 'budget' | 'error'; message: string; warnings: string[] };

export interface PageBudget {
  /** Wall time one page may take on the render thread before the thread is killed. */
  timeMs: number;
  /** Largest HTML a page may render to. */
  maxHtmlBytes: number;
}

// Preparing a site loads highlighter grammars; generous, but a hung thread is still replaced.
const SITE_TIMEOUT_MS = 120_000;
const MEMORY_LIMIT_MB = 512;
/**
 * How long the thread may sit idle before it is stopped. Its heap and the highlighter's
 * WebAssembly memory (which never shrinks) held ~140 MB after rendering the examples' sites, and
 * builds come in bursts (a start, a push, a refresh cycle): between them the memory goes back,
 * and the next build starts a fresh thread. The pages of one build follow each other closely.
 */
export const DEFAULT_RENDER_IDLE_MS = 3_000;

/**
 * Renders pages on a worker thread, one at a time, each within a budget: a page that takes
 * longer than `budget.timeMs` (or exhausts the thread's memory) gets its thread terminated -
 * a hard stop synchronous code cannot otherwise get - and fails alone with a clear reason;
 * the next page starts a fresh thread. The HTTP thread is never blocked by Markdown.
 */
export class PageRenderPool {
  private worker: Worker | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Jobs queued or running: the thread is stopped only when none is left for `idleMs`. */
  private jobs = 0;
  private workerSite: object | undefined;
  private nextId = 1;
  private pending: { id: number; resolve: (r: RenderResponse) => void; reject: (e: Error) => void } | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  /** `idleMs`: stop the thread after this long without a page to render (see DEFAULT_RENDER_IDLE_MS). */
  constructor(private readonly idleMs = DEFAULT_RENDER_IDLE_MS) {}

  /** Whether a render thread is running now (tests, diagnostics). */
  get threadRunning(): boolean {
    return this.worker !== undefined;
  }

  /**
   * Renders one page of `site` (any object identifying one build: the thread is told the site's
   * files, routes and languages when it changes). Jobs run one after another.
   */
  render(site: { context: () => SiteContext }, srcPath: string, markdown: string, budget: PageBudget, signal?: AbortSignal): Promise<PageRenderOutcome> {
    this.jobs++;
    clearTimeout(this.idleTimer);
    const run = this.chain.then(() => this.renderNow(site, srcPath, markdown, budget, signal));
    this.chain = run
      .catch(() => undefined)
      .finally(() => {
        if (--this.jobs === 0) this.scheduleIdleStop();
      });
    return run;
  }

  private scheduleIdleStop(): void {
    clearTimeout(this.idleTimer);
    if (!this.worker) return;
    this.idleTimer = setTimeout(() => {
      if (this.jobs === 0) void this.kill();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  /** Stops the thread (plugin shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    await this.kill();
  }

  private async renderNow(
    site: { context: () => SiteContext },
    srcPath: string,
    markdown: string,
    budget: PageBudget,
    signal?: AbortSignal,
  ): Promise<PageRenderOutcome> {
    if (this.closed) throw new Error('the TechDocs render thread is closed');
    signal?.throwIfAborted();
    if (this.workerSite !== site) {
      const answer = await this.send({ type: 'site', id: this.nextId++, site: site.context() }, SITE_TIMEOUT_MS, signal);
      if (answer.kind !== 'answer')
        throw new Error(`the render thread could not prepare the site (${answer.kind === 'timeout' ? 'timed out' : answer.message})`);
      if (answer.response.type === 'site' && answer.response.error) throw new Error(`the render thread could not prepare the site: ${answer.response.error}`);
      this.workerSite = site;
    }
    const answer = await this.send({ type: 'page', id: this.nextId++, srcPath, markdown, maxHtmlBytes: budget.maxHtmlBytes }, budget.timeMs, signal);
    if (answer.kind === 'timeout') {
      return { ok: false, reason: 'budget', message: `rendering took longer than ${formatMs(budget.timeMs)}, so it was stopped`, warnings: [] };
    }
    if (answer.kind === 'died') return { ok: false, reason: 'budget', message: answer.message, warnings: [] };
    const r = answer.response;
    if (r.type !== 'page') throw new Error('unexpected answer from the render thread');
    if (r.error !== undefined || !r.page) return { ok: false, reason: 'error', message: r.error ?? 'no page was rendered', warnings: r.warnings };
    return { ok: true, page: r.page, warnings: r.warnings, usedAssets: r.usedAssets };
  }

  private send(
    request: RenderRequest,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<{ kind: 'answer'; response: RenderResponse } | { kind: 'timeout' } | { kind: 'died'; message: string }> {
    const worker = this.ensureWorker();
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.pending = undefined;
        fn();
      };
      const timer = setTimeout(() => {
        void this.kill();
        finish(() => resolve({ kind: 'timeout' }));
      }, timeoutMs);
      const onAbort = () => {
        void this.kill();
        finish(() => reject(signal!.reason instanceof Error ? signal!.reason : new DOMException('The build was cancelled', 'AbortError')));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending = {
        id: request.id,
        resolve: (response) => finish(() => resolve({ kind: 'answer', response })),
        reject: (error) => finish(() => resolve({ kind: 'died', message: error.message })),
      };
      worker.postMessage(request);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startRenderWorker();
    worker.unref();
    worker.on('message', (response: RenderResponse) => {
      if (this.pending && this.pending.id === response.id) this.pending.resolve(response);
    });
    const died = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.workerSite = undefined;
      this.pending?.reject(error);
    };
    worker.on('error', (error) => {
      const oom = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      died(new Error(oom ? `rendering needed more than ${MEMORY_LIMIT_MB} MB of memory, so it was stopped` : `the render thread failed: ${error.message}`));
    });
    worker.on('exit', (code) => died(new Error(`the render thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private async kill(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.workerSite = undefined;
    if (worker) await worker.terminate();
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/**
 * Built code runs pageRenderWorker.js directly. From TypeScript sources (tests, `npm run dev`)
 * the thread first registers tsx, which Node does not apply to worker threads by itself.
 */
function startRenderWorker(): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: MEMORY_LIMIT_MB };
  const compiled = new URL('./pageRenderWorker.js', import.meta.url);
  if (fs.existsSync(fileURLToPath(compiled))) return new Worker(compiled, { resourceLimits });
  const source = new URL('./pageRenderWorker.ts', import.meta.url).href;
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/index\.cjs$/, 'index.mjs'),
  ).href;
  const code = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(source)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { execArgv: ['--conditions=source'], resourceLimits });
}
