/** A FIFO lock with a wait limit, so a forgotten `.transacting(trx)` fails instead of hanging. */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  async lock(timeoutMs: number, what: string): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => mine);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; is a query missing .transacting(trx)?`)), timeoutMs);
      timer.unref();
    });
    try {
      await Promise.race([previous, timedOut]);
    } catch (e) {
      // Give our turn away once it comes, so the queue keeps moving.
      void previous.then(() => release());
      throw e;
    } finally {
      clearTimeout(timer);
    }
    let released = false;
    return () => {
      if (!released) {
        released = true;
        release();
      }
    };
  }
}
