/**
 * Runs `task` one at a time. A call while a run is going does not start a second run beside it:
 * it waits for one more run that starts after the current one ends, and every call made during
 * the same run shares that follow-up. So each caller gets a run that began after it asked (it
 * sees what changed before its call), and a burst of calls costs two runs, not one per call.
 */
export function coalesced<T>(task: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  let next: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const run = task().finally(() => {
      if (running === run) running = undefined;
    });
    running = run;
    return run;
  };
  return () => {
    if (!running) return start();
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return start();
      });
    return next;
  };
}
