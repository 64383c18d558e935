import type { Logger } from '@atrium/backend-plugin-api';
import type { LocationProcessor } from './locationProcessor.js';

/**
 * Each replica polls for locations due for refresh and for entities due for stitching.
 * Claims happen in the database, so replicas share the work without a coordinator.
 */
export class ProcessingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly processor: LocationProcessor,
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule(this.pollMs);
      });
    }, delay);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      // Work through everything due, then pick up stitching left by deletions or other replicas.
      while (!this.stopped && (await this.processor.processDue())) {
        /* keep going */
      }
      if (!this.stopped) await this.processor.stitch();
    } catch (e) {
      if (!this.stopped) this.logger.warn({ err: e }, 'catalog processing tick failed');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.processor.stop();
    await this.running?.catch(() => undefined);
  }
}
