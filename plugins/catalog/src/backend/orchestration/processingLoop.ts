import type { Logger } from '@atrium/backend-plugin-api';
import type { LocationProcessor } from './locationProcessor.js';

const IDLE_BACKOFF = 8;

/**
 * Each replica polls for locations due for refresh and for entities due for stitching.
 * Claims happen in the database, so replicas share the work without a coordinator.
 */
export class ProcessingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private idleDelay: number;

  constructor(
    private readonly processor: LocationProcessor,
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {
    this.idleDelay = pollMs;
  }

  start(): void {
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().then((worked) => {
        this.running = undefined;
        // An idle replica polls less and less often (up to IDLE_BACKOFF × pollMs), so an idle
        // catalog costs next to nothing; any work found brings it back to pollMs. Changes made
        // through the API are processed at once and do not wait for a poll.
        this.idleDelay = worked ? this.pollMs : Math.min(this.idleDelay * 2, this.pollMs * IDLE_BACKOFF);
        this.schedule(this.idleDelay);
      });
    }, delay);
    this.timer.unref();
  }

  /** True when it processed a location or stitched something. */
  private async tick(): Promise<boolean> {
    let worked = false;
    try {
      // Work through everything due, then pick up stitching left by deletions or other replicas.
      while (!this.stopped && (await this.processor.processDue())) worked = true;
      if (!this.stopped && (await this.processor.stitch()) > 0) worked = true;
    } catch (e) {
      if (!this.stopped) this.logger.warn({ err: e }, 'catalog processing tick failed');
    }
    return worked;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.processor.stop();
    await this.running?.catch(() => undefined);
  }
}
