import type { Knex } from 'knex';
import type { EntityProviderStatus, LocationError } from '../../common/index.js';
import { jsonWithoutNul } from '../ingestion/nulCharacters.js';
import { rows } from '../store/sql.js';
import { stitchErrorsOf } from '../store/stitchErrors.js';

interface ProviderRow {
  name: string;
  last_mutation_at: Date | string | null;
  last_mutation_type: 'full' | 'delta' | null;
  mutation_count: number;
  entity_count: number;
  errors: LocationError[];
}

/** The entity_providers table: one row per provider name, with how its last mutation went. */
export class ProviderStore {
  constructor(private readonly db: Knex) {}

  async ensure(name: string): Promise<void> {
    await this.db.raw(`insert into entity_providers (name) values (?) on conflict (name) do nothing`, [name]);
  }

  /** Records a finished mutation: its type, its errors, and the provider's entity count now. */
  async recordMutation(name: string, type: 'full' | 'delta', errors: LocationError[]): Promise<void> {
    await this.db.raw(
      `insert into entity_providers (name, last_mutation_at, last_mutation_type, mutation_count, entity_count, errors)
       values (?, now(), ?, 1, (select count(*)::int from entities where provider = ?), ?::jsonb)
       on conflict (name) do update set last_mutation_at = now(), last_mutation_type = excluded.last_mutation_type,
         mutation_count = entity_providers.mutation_count + 1, entity_count = excluded.entity_count, errors = excluded.errors`,
      [name, type, name, jsonWithoutNul(errors)],
    );
  }

  async list(connected: ReadonlySet<string>, name?: string): Promise<EntityProviderStatus[]> {
    const found = await rows<ProviderRow>(
      this.db,
      `select name, last_mutation_at, last_mutation_type, mutation_count, entity_count, errors from entity_providers ${name !== undefined ? 'where name = ?' : ''} order by name`,
      name !== undefined ? [name] : [],
    );
    const out: EntityProviderStatus[] = [];
    for (const r of found) {
      out.push({
        name: r.name,
        connected: connected.has(r.name),
        lastMutationAt: r.last_mutation_at ? new Date(r.last_mutation_at).toISOString() : null,
        lastMutationType: r.last_mutation_type,
        mutationCount: Number(r.mutation_count),
        entityCount: Number(r.entity_count),
        errors: [...(r.errors ?? []), ...(await this.stitchErrors(r.name))],
      });
    }
    return out;
  }

  /** The provider's entities whose final form could not be stored (see stitchPending). */
  private stitchErrors(name: string, limit = 100): Promise<LocationError[]> {
    return stitchErrorsOf(this.db, { provider: name }, limit);
  }
}
