import type { Logger } from 'pino';
import { scimEntities, SCIM_PROVIDER_NAME } from './scimEntities.js';
import type { ScimStore } from './scimStore.js';

/** The catalog's provider contract, as the auth module sees it (`CatalogService` of the catalog plugin). */
export interface ScimCatalogConnection {
  applyMutation(mutation: {
    type: 'full';
    entities: Array<{ entity: unknown; locationKey?: string }>;
  }): Promise<{ written: number; removed: string[]; errors: Array<{ message: string }> }>;
}
export interface ScimCatalog {
  registerEntityProvider(provider: { name: string; connect(connection: ScimCatalogConnection): Promise<void> }): Promise<void>;
  getEntityByRef(ref: string): Promise<{ metadata?: { annotations?: Record<string, string> } } | undefined>;
}

/**
 * Keeps the catalog's `User`/`Group` entities equal to the SCIM directory: the provider
 * `atrium-scim` applies a full mutation built from the tables after every change (and on the
 * periodic job). Runs are serialised in this process and coalesced: a change made while a run
 * is in flight is covered by one more run after it.
 */
export class ScimCatalogSync {
  private connection: ScimCatalogConnection | undefined;
  private connectedTo: ScimCatalog | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly store: ScimStore,
    private readonly catalog: () => ScimCatalog | undefined,
    private readonly logger: Logger,
  ) {}

  /** Brings the catalog up to date with the tables; resolves when the entities are stitched (or the catalog is not running). */
  sync(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) {
      this.running = this.run().finally(() => (this.running = undefined));
      return this.running;
    }
    this.queued = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        this.running = this.run().finally(() => (this.running = undefined));
        return this.running;
      });
    return this.queued;
  }

  private async run(): Promise<void> {
    const catalog = this.catalog();
    if (!catalog) {
      this.logger.debug('SCIM: the catalog is not running; its entities follow on the next sync');
      return;
    }
    if (!this.connection || this.connectedTo !== catalog) {
      this.connection = undefined;
      await catalog.registerEntityProvider({
        name: SCIM_PROVIDER_NAME,
        connect: async (connection) => {
          this.connection = connection;
        },
      });
      this.connectedTo = catalog;
    }
    const { users, groups } = await this.store.snapshot();
    const result = await this.connection!.applyMutation({ type: 'full', entities: scimEntities(users, groups) });
    if (result.errors.length > 0) this.logger.warn({ errors: result.errors }, `SCIM: ${result.errors.length} entities were refused by the catalog`);
  }
}
