import type { EventsService, EventTopic, Logger } from '@atrium/backend-plugin-api';
import { catalogEntityRemoved, catalogEntityUpserted, catalogLocationError, type EntityUpsertedEvent, type LocationErrorEvent } from '../../common/index.js';

/** Events per publishMany call (one NOTIFY, or one stored payload, for other replicas). */
const GROUP = 500;

/**
 * Publishes the catalog's change events after the changes are committed. Publishing runs in
 * the background, in order, so a bulk ingest is not slowed by them; a batch of changes travels to other replicas as one NOTIFY; a
 * failing publish is logged, never fatal. flush() waits for everything queued.
 */
export class CatalogEvents {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly events: EventsService,
    private readonly logger: Logger,
  ) {}

  upserted(changes: EntityUpsertedEvent[]): Promise<void> {
    return this.enqueue(
      catalogEntityUpserted,
      changes.map(({ entityRef, uid }) => ({ entityRef, uid })),
    );
  }

  removed(refs: string[]): Promise<void> {
    return this.enqueue(
      catalogEntityRemoved,
      refs.map((entityRef) => ({ entityRef })),
    );
  }

  locationError(event: LocationErrorEvent): Promise<void> {
    return this.enqueue(catalogLocationError, [event]);
  }

  /** Resolves once every event queued so far has been handed to the events service. */
  flush(): Promise<void> {
    return this.tail;
  }

  private enqueue<T>(topic: EventTopic<T>, payloads: T[]): Promise<void> {
    if (payloads.length === 0) return Promise.resolve();
    this.tail = this.tail.then(() => this.publishAll(topic, payloads));
    return Promise.resolve();
  }

  private async publishAll<T>(topic: EventTopic<T>, payloads: T[]): Promise<void> {
    for (let i = 0; i < payloads.length; i += GROUP) {
      await this.events
        .publishMany(topic, payloads.slice(i, i + GROUP))
        .catch((e) => this.logger.warn({ err: e, topic: topic.name }, 'could not publish catalog events'));
    }
  }
}
