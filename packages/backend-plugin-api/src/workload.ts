/**
 * Bulk work in this backend process (a catalog ingest of thousands of entities) and the way for
 * reactions to it to yield: a plugin that follows changes (through a CoalescingQueue with
 * `yieldTo`) waits while bulk work runs and catches up after, so an ingest is not slowed by
 * every plugin reacting to every batch on the same two cores and the same database.
 *
 * Waiting is bounded, so nothing starves: `whenIdle(maxWaitMs)` gives up once the bulk work has
 * reported no progress for `maxWaitMs` (a read that hangs), and in any case after
 * `MAX_WAIT_FACTOR × maxWaitMs` (a load that goes on and on). Bulk work that never reports
 * progress is waited for `maxWaitMs` at most, as if it had stalled from the start.
 */
export interface WorkloadService {
  /** Marks bulk work as running until the returned handle is called (calling it twice is harmless). */
  beginBulk(label: string): BulkWork;
  /** The labels of the bulk work running now (empty when none). */
  running(): string[];
  /**
   * Resolves when no bulk work runs; or once no running bulk work has reported progress for
   * `maxWaitMs` (default 10 s); or after `MAX_WAIT_FACTOR × maxWaitMs` whatever happens.
   */
  whenIdle(maxWaitMs?: number): Promise<void>;
}

/** Running bulk work: call it when the work ends; `progress()` says it is still moving (a batch written). */
export interface BulkWork {
  (): void;
  progress(): void;
}

const DEFAULT_MAX_WAIT_MS = 10_000;
/** How many times `maxWaitMs` a wait lasts at most while bulk work keeps progressing. */
export const MAX_WAIT_FACTOR = 6;

export function createWorkload(): WorkloadService {
  const active = new Map<number, string>();
  let next = 0;
  let lastProgress = 0;
  let waiters: Array<() => void> = [];
  const release = () => {
    if (active.size > 0) return;
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  };
  return {
    beginBulk(label) {
      const id = next++;
      active.set(id, label);
      const end = (() => {
        if (active.delete(id)) release();
      }) as BulkWork;
      end.progress = () => {
        if (active.has(id)) lastProgress = Date.now();
      };
      return end;
    },
    running: () => [...active.values()],
    whenIdle(maxWaitMs = DEFAULT_MAX_WAIT_MS) {
      if (active.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const started = Date.now();
        const deadline = started + maxWaitMs * MAX_WAIT_FACTOR;
        let timer: NodeJS.Timeout | undefined;
        const finish = () => {
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== finish);
          resolve();
        };
        // Wakes when the quiet period would end; progress since the wait began moves that on.
        const check = () => {
          const now = Date.now();
          const quietUntil = Math.max(started, lastProgress) + maxWaitMs;
          if (now >= deadline || now >= quietUntil) return finish();
          timer = setTimeout(check, Math.min(deadline, quietUntil) - now);
          timer.unref();
        };
        waiters.push(finish);
        check();
      });
    },
  };
}
