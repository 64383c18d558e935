/**
 * Bulk work in this backend process (a catalog ingest of thousands of entities) and the way for
 * reactions to it to yield: a plugin that follows changes (through a CoalescingQueue with
 * `yieldTo`) waits while bulk work runs and catches up after, so an ingest is not slowed by
 * every plugin reacting to every batch on the same two cores and the same database.
 *
 * Waiting is bounded (`whenIdle(maxWaitMs)`): during a very long load a follower still takes a
 * batch every `maxWaitMs`, so nothing starves.
 */
export interface WorkloadService {
  /** Marks bulk work as running until the returned function is called (calling it twice is harmless). */
  beginBulk(label: string): () => void;
  /** The labels of the bulk work running now (empty when none). */
  running(): string[];
  /** Resolves when no bulk work runs, or after `maxWaitMs` (default 10 s), whichever comes first. */
  whenIdle(maxWaitMs?: number): Promise<void>;
}

const DEFAULT_MAX_WAIT_MS = 10_000;

export function createWorkload(): WorkloadService {
  const active = new Map<number, string>();
  let next = 0;
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
      return () => {
        if (active.delete(id)) release();
      };
    },
    running: () => [...active.values()],
    whenIdle(maxWaitMs = DEFAULT_MAX_WAIT_MS) {
      if (active.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== finish);
          resolve();
        };
        const timer = setTimeout(finish, maxWaitMs);
        timer.unref();
        waiters.push(finish);
      });
    },
  };
}
