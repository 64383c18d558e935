import { ConflictError, type Logger, type WorkloadService } from '@atrium/backend-plugin-api';
import type { EntityValidator } from '@atrium/catalog-model';
import type { Knex } from 'knex';
import type { EntityProvider, EntityProviderConnection, EntityProviderMutationResult, EntityProviderStatus } from '../../common/index.js';
import type { CatalogEvents } from '../orchestration/catalogEvents.js';
import { BULK_FROM, type LocationProcessor } from '../orchestration/locationProcessor.js';
import { markForStitch, type EntityWriter } from '../store/entityWriter.js';
import { withStitchScope } from '../store/stitchScope.js';
import { bulkRows } from '../store/sql.js';
import { applyProviderMutation } from './applyProviderMutation.js';
import { checkMutation, checkProviderName } from './mutationSchema.js';
import { ProviderStore } from './providerStore.js';

export interface EntityProvidersDeps {
  db: Knex;
  writer: EntityWriter;
  validator: EntityValidator;
  processor: Pick<LocationProcessor, 'stitch'>;
  events: CatalogEvents;
  logger: Logger;
  /** Where a large mutation marks itself as bulk work, so plugins' reactions wait for it. */
  workload?: Pick<WorkloadService, 'beginBulk'>;
}

/**
 * The entity providers connected in this process: hands each a connection whose mutations
 * are stored under its name, stitched, announced (the same events as location entities) and
 * recorded in entity_providers. Mutations of one provider run one at a time, in call order.
 */
export class EntityProviders {
  private readonly connected = new Set<string>();
  private readonly queues = new Map<string, Promise<unknown>>();
  readonly store: ProviderStore;

  constructor(private readonly deps: EntityProvidersDeps) {
    this.store = new ProviderStore(deps.db);
  }

  async register(provider: EntityProvider): Promise<void> {
    const name = checkProviderName(provider?.name);
    if (typeof provider.connect !== 'function') throw new TypeError(`Entity provider ${name} has no connect(connection) function`);
    if (this.connected.has(name)) throw new ConflictError(`An entity provider named ${name} is already registered`);
    this.connected.add(name);
    try {
      await this.store.ensure(name);
      await provider.connect(this.connectionFor(name));
    } catch (e) {
      this.connected.delete(name);
      this.deps.logger.error({ err: e, provider: name }, `catalog: connecting entity provider ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    this.deps.logger.info({ provider: name }, `catalog: entity provider ${name} connected`);
  }

  list(name?: string): Promise<EntityProviderStatus[]> {
    return this.store.list(this.connected, name);
  }

  private connectionFor(name: string): EntityProviderConnection {
    return {
      applyMutation: (mutation) => this.serialised(name, () => this.apply(name, mutation)),
      refresh: (options) => this.serialised(name, () => this.refresh(name, options?.keys ?? [])),
    };
  }

  private serialised<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(name) ?? Promise.resolve()).then(fn, fn);
    this.queues.set(
      name,
      run.catch(() => undefined),
    );
    return run;
  }

  private async apply(name: string, raw: unknown): Promise<EntityProviderMutationResult> {
    const mutation = checkMutation(name, raw);
    const { writer, validator, processor, events, logger, workload } = this.deps;
    // A mutation of thousands of entities (a directory's first sync) is bulk work, like a large
    // location read: from its start until its entities are served, progressing per stitched batch.
    const size = mutation.type === 'full' ? mutation.entities.length : mutation.added.length + mutation.removed.length;
    const bulk = size >= BULK_FROM ? workload?.beginBulk(`catalog: entity provider ${name}`) : undefined;
    let result: EntityProviderMutationResult;
    try {
      result = await withStitchScope(async (scope) => {
        const applied = await applyProviderMutation({ writer, validator }, name, mutation);
        bulk?.progress();
        await events.removed(applied.removed);
        await processor.stitch({ settle: true, scope, onBatch: () => bulk?.progress(), onServed: () => bulk?.() });
        return applied;
      });
    } finally {
      bulk?.();
    }
    await this.store.recordMutation(name, mutation.type, result.errors);
    const summary = { provider: name, type: mutation.type, written: result.written, removed: result.removed.length, errors: result.errors.length };
    if (result.errors.length === 0) logger.info(summary, `catalog: entity provider ${name} applied a ${mutation.type} mutation`);
    else {
      logger.warn(
        { ...summary, firstErrors: result.errors.slice(0, 5) },
        `catalog: entity provider ${name} applied a ${mutation.type} mutation with ${result.errors.length} ${result.errors.length === 1 ? 'error' : 'errors'}: ${result.errors
          .slice(0, 3)
          .map((e) => e.message)
          .join('; ')}`,
      );
    }
    return result;
  }

  private async refresh(name: string, keys: string[]): Promise<void> {
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string'))
      throw new TypeError(`Entity provider ${name}: refresh({ keys }) takes an array of strings`);
    if (keys.length === 0) return;
    const found = await bulkRows<{ entity_ref: string }>(this.deps.db, `select entity_ref from entities where provider = ? and location_key = any(?::text[])`, [
      name,
      keys,
    ]);
    if (found.length === 0) return;
    await withStitchScope(async (scope) => {
      await markForStitch(
        this.deps.db,
        found.map((f) => f.entity_ref),
        [],
        scope,
      );
      await this.deps.processor.stitch({ settle: true, scope });
    });
  }
}
