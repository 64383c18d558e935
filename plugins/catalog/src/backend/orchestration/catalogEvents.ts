import type { EventsService, Logger } from '@atrium/backend-plugin-api';
import {
  CATALOG_EVENTS,
  type EntityRemovedEvent,
  type EntityUpsertedEvent,
  type LocationErrorEvent,
} from '../../common/index.js';

const PARALLEL = 16;

/** Publishes the catalog's change events; a failing publish is logged, never fatal to processing. */
export class CatalogEvents {
  constructor(
    private readonly events: EventsService,
    private readonly logger: Logger,
  ) {}

  async upserted(changes: EntityUpsertedEvent[]): Promise<void> {
    await this.publishAll(CATALOG_EVENTS.entityUpserted, changes);
  }

  async removed(refs: string[]): Promise<void> {
    await this.publishAll<EntityRemovedEvent>(CATALOG_EVENTS.entityRemoved, refs.map((entityRef) => ({ entityRef })));
  }

  async locationError(event: LocationErrorEvent): Promise<void> {
    await this.publishAll(CATALOG_EVENTS.locationError, [event]);
  }

  private async publishAll<T>(topic: string, payloads: T[]): Promise<void> {
    for (let i = 0; i < payloads.length; i += PARALLEL) {
      await Promise.all(
        payloads.slice(i, i + PARALLEL).map((p) =>
          this.events.publish(topic, p).catch((e) => this.logger.warn({ err: e, topic }, 'could not publish a catalog event')),
        ),
      );
    }
  }
}
