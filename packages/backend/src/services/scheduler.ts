import type { JobOptions, JobStatusInfo, Logger, SchedulerService } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';

interface RegisteredJob {
  id: string;
  pluginId: string;
  options: Required<JobOptions>;
  fn: (signal: AbortSignal) => Promise<void>;
  running: boolean;
}

/**
 * Runs named recurring jobs. Each poll, a replica tries to claim a job whose tick is due with a
 * conditional UPDATE; Postgres lets exactly one replica win a given tick, so with N replicas on
 * one database a job still runs once per tick. The claim also moves the next tick forward.
 */
/** The longest an idle replica waits between looks at the job table. */
const MAX_SLEEP_MS = 30_000;

export class Scheduler {
  private readonly jobs = new Map<string, RegisteredJob>();
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private polling = false;
  private wakeRequested = false;

  constructor(
    private readonly db: Knex,
    private readonly replicaId: string,
    private readonly logger: Logger,
    private readonly pollIntervalMs = 1000,
  ) {}

  forPlugin(pluginId: string): SchedulerService {
    return {
      every: (id, options, fn) => this.register(pluginId, id, options, fn),
      trigger: (id) => this.runNow(id),
    };
  }

  private register(pluginId: string, id: string, options: JobOptions, fn: RegisteredJob['fn']): void {
    if (this.jobs.has(id)) throw new Error(`Scheduled job "${id}" is already registered`);
    if (!(options.intervalSeconds >= 1)) throw new Error(`Scheduled job "${id}": intervalSeconds must be at least 1`);
    this.jobs.set(id, {
      id,
      pluginId,
      fn,
      running: false,
      options: { runOnStart: true, timeoutSeconds: 600, ...options },
    });
  }

  /** Writes job rows and starts polling. Called by the host once every plugin is set up. */
  async start(): Promise<void> {
    for (const job of this.jobs.values()) {
      const first = job.options.runOnStart ? this.db.fn.now() : this.db.raw(`now() + make_interval(secs => ?)`, [job.options.intervalSeconds]);
      await this.db('scheduled_jobs')
        .insert({ id: job.id, plugin_id: job.pluginId, interval_seconds: job.options.intervalSeconds, next_run_at: first })
        .onConflict('id')
        .merge(['plugin_id', 'interval_seconds']);
    }
    if (this.jobs.size > 0) this.schedulePoll(0);
  }

  private schedulePoll(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = true;
      this.poll()
        .catch((e) => {
          this.logger.warn({ err: e }, 'scheduler poll failed');
          return this.pollIntervalMs;
        })
        .then((next) => {
          this.polling = false;
          const again = this.wakeRequested;
          this.wakeRequested = false;
          this.schedulePoll(again ? 0 : next);
        });
    }, delay);
    this.timer.unref();
  }

  /** Looks at the job table again now (a local job finished: its next tick may be due). */
  private wake(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.wakeRequested = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedulePoll(0);
  }

  /**
   * Claims this replica's due jobs and returns how long to sleep: until the earliest next tick
   * (or lock expiry) of any job, at least pollIntervalMs and at most MAX_SLEEP_MS, so an idle
   * replica reads one row set now and then instead of updating every job every poll. Times
   * come from the database's clock, which every replica shares.
   */
  private async poll(): Promise<number> {
    const rows: Array<{ id: string; next_run_at: Date | string; locked_until: Date | string | null; now: Date | string }> = await this.db('scheduled_jobs')
      .whereIn('id', [...this.jobs.keys()])
      .select('id', 'next_run_at', 'locked_until', this.db.raw('now() as now'));
    let sleep = MAX_SLEEP_MS;
    for (const row of rows) {
      const job = this.jobs.get(row.id);
      if (!job || this.stopped) continue;
      const now = new Date(row.now).getTime();
      const nextRun = new Date(row.next_run_at).getTime();
      const lockedUntil = row.locked_until ? new Date(row.locked_until).getTime() : 0;
      if (!job.running && nextRun <= now && lockedUntil < now && (await this.claim(job))) {
        sleep = Math.min(sleep, job.options.intervalSeconds * 1000);
        continue;
      }
      sleep = Math.min(sleep, Math.max(nextRun, lockedUntil) - now);
    }
    return Math.max(this.pollIntervalMs, Math.min(sleep, MAX_SLEEP_MS));
  }

  /** One conditional UPDATE: exactly one replica wins a due tick. */
  private async claim(job: RegisteredJob): Promise<boolean> {
    const claimed = await this.db('scheduled_jobs')
      .where('id', job.id)
      .andWhere('next_run_at', '<=', this.db.fn.now())
      .andWhere((q) => q.whereNull('locked_until').orWhere('locked_until', '<', this.db.fn.now()))
      .update({
        claimed_tick: this.db.ref('next_run_at'),
        next_run_at: this.db.raw(`now() + make_interval(secs => ?)`, [job.options.intervalSeconds]),
        locked_by: this.replicaId,
        locked_until: this.db.raw(`now() + make_interval(secs => ?)`, [job.options.timeoutSeconds]),
      })
      .returning(['id']);
    if (claimed.length === 0) return false;
    this.track(this.execute(job));
    return true;
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async execute(job: RegisteredJob): Promise<void> {
    job.running = true;
    const started = Date.now();
    let status: 'ok' | 'error' = 'ok';
    let error: string | null = null;
    try {
      await job.fn(this.abort.signal);
    } catch (e) {
      status = 'error';
      error = e instanceof Error ? e.message : String(e);
      this.logger.error({ err: e, job: job.id }, `scheduled job ${job.id} failed`);
    } finally {
      job.running = false;
    }
    await this.db('scheduled_jobs')
      .where({ id: job.id })
      .update({
        last_run_at: new Date(started),
        last_status: status,
        last_error: error,
        last_duration_ms: Date.now() - started,
        run_count: this.db.raw('run_count + 1'),
        locked_by: null,
        locked_until: null,
      })
      .catch((e) => this.logger.warn({ err: e, job: job.id }, 'could not record job run'));
    this.wake();
  }

  private async runNow(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`No scheduled job "${id}"`);
    const p = this.execute(job);
    this.track(p);
    await p;
  }

  async status(): Promise<JobStatusInfo[]> {
    const rows = await this.db('scheduled_jobs').select('*').orderBy('id');
    const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
    return rows
      .filter((r) => this.jobs.has(r.id))
      .map((r) => ({
        id: r.id,
        pluginId: r.plugin_id,
        intervalSeconds: r.interval_seconds,
        lastRunAt: iso(r.last_run_at),
        lastStatus: r.last_status,
        lastError: r.last_error,
        lastDurationMs: r.last_duration_ms,
        nextRunAt: iso(r.next_run_at),
        running: this.jobs.get(r.id)?.running ?? false,
      }));
  }

  /** Stops polling and signals running jobs to stop; drain() waits for them. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
