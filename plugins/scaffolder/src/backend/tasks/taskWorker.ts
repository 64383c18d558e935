import type { Logger } from '@atrium/backend-plugin-api';
import { ShutdownError } from '../runner.js';
import { LeaseLostError, type ClaimedTask, type TaskStore } from './taskStore.js';

export interface TaskWorkerOptions {
  store: TaskStore;
  logger: Logger;
  workerId: string;
  /** Tasks this replica runs at once; 0 disables the worker. */
  concurrency: number;
  pollMs: number;
  heartbeatMs: number;
  /** How long a claim lasts without a heartbeat; after it any replica may resume the task. */
  leaseSeconds: number;
  run(task: ClaimedTask, signal: AbortSignal): Promise<void>;
}

/**
 * Claims open tasks, and tasks whose holder's lease expired, from the database (SKIP LOCKED, so
 * replicas share the queue without a coordinator), runs up to `concurrency` at once, extends
 * their leases, and aborts those whose cancellation was requested through any replica or that
 * another replica took over.
 */
export class TaskWorker {
  private readonly running = new Map<string, AbortController>();
  private readonly inflight = new Set<Promise<void>>();
  private pollTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private claiming = false;
  private stopped = false;

  constructor(private readonly options: TaskWorkerOptions) {}

  start(): void {
    if (this.options.concurrency <= 0) return;
    this.pollTimer = setInterval(() => void this.fill(), this.options.pollMs);
    this.heartbeatTimer = setInterval(() => void this.beat(), this.options.heartbeatMs);
    void this.fill();
  }

  /** Looks for work now (after a task was created or approved on this replica). */
  wake(): void {
    void this.fill();
  }

  get activeCount(): number {
    return this.running.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearInterval(this.heartbeatTimer);
    for (const c of this.running.values()) c.abort(new ShutdownError());
    await Promise.allSettled([...this.inflight]);
  }

  private async fill(): Promise<void> {
    if (this.claiming || this.stopped) return;
    this.claiming = true;
    try {
      while (!this.stopped && this.running.size < this.options.concurrency) {
        const task = await this.options.store.claimTask(this.options.workerId, this.options.leaseSeconds);
        if (!task) break;
        const controller = new AbortController();
        this.running.set(task.id, controller);
        const p = this.options
          .run(task, controller.signal)
          .catch((e: unknown) => this.options.logger.error({ err: e, taskId: task.id }, 'scaffolder task crashed'))
          .finally(() => {
            this.running.delete(task.id);
            this.inflight.delete(p);
            if (!this.stopped) void this.fill();
          });
        this.inflight.add(p);
      }
    } catch (e) {
      this.options.logger.warn({ err: e }, 'scaffolder: claiming tasks failed; retrying on the next poll');
    } finally {
      this.claiming = false;
    }
  }

  private async beat(): Promise<void> {
    if (!this.running.size) return;
    try {
      const { cancelled, lost } = await this.options.store.heartbeat([...this.running.keys()], this.options.workerId, this.options.leaseSeconds);
      for (const id of cancelled) this.running.get(id)?.abort(new Error('cancelled'));
      for (const id of lost) this.running.get(id)?.abort(new LeaseLostError(id));
    } catch (e) {
      this.options.logger.warn({ err: e }, 'scaffolder: heartbeat failed');
    }
  }
}
