import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Location, LocationError, LocationStatus } from '../../common/index.js';
import { stitchErrorsOf } from './stitchErrors.js';
import type { CatalogRule, LocationSpec } from '../ingestion/index.js';
import { jsonWithoutNul } from '../ingestion/nulCharacters.js';
import { rows, type Db } from './sql.js';

export interface LocationRow {
  id: string;
  type: LocationSpec['type'];
  target: string;
  source: 'config' | 'api';
  presence: 'required' | 'optional';
  rules: CatalogRule[] | null;
  content_hash: string | null;
  revision: string | null;
  files: string[] | null;
  fingerprint: string | null;
  errors: LocationError[];
  entity_count: number;
  last_read_at: Date | null;
  next_refresh_at: Date | null;
  force_refresh: boolean;
  claimed_by: string | null;
}

export function toLocation(row: Pick<LocationRow, 'id' | 'type' | 'target'>): Location {
  return { id: row.id, type: row.type, target: row.target };
}

/** The status of a location; `stitchErrors` (see LocationsStore.stitchErrors) follow the errors of its last read. */
export function toLocationStatus(row: LocationRow, stitchErrors: LocationError[] = []): LocationStatus {
  const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
  return {
    ...toLocation(row),
    source: row.source,
    lastReadAt: iso(row.last_read_at),
    nextRefreshAt: iso(row.next_refresh_at),
    entityCount: row.entity_count,
    errors: [...(row.errors ?? []), ...stitchErrors],
  };
}

/**
 * How long a claim on a location lasts unless renewed. The replica processing it renews the
 * claim (a heartbeat) every third of this, so only a replica that died, or whose event loop
 * stalled for that long, loses it; others may then take the location over.
 */
export const DEFAULT_CLAIM_LEASE_SECONDS = 30;

/** Registered and configured locations: what to read, when, and how the last read went. */
export class LocationsStore {
  constructor(
    private readonly db: Knex,
    readonly leaseSeconds: number = DEFAULT_CLAIM_LEASE_SECONDS,
  ) {}

  async list(): Promise<LocationRow[]> {
    return this.db<LocationRow>('locations')
      .select('*')
      .orderBy([{ column: 'created_at' }, { column: 'id' }]);
  }

  async get(id: string, db: Db = this.db): Promise<LocationRow | undefined> {
    if (!isUuid(id)) return undefined;
    return db<LocationRow>('locations').where({ id }).first();
  }

  /** The full status of a location: the errors of its last read plus its entities that could not be stitched. */
  async status(row: LocationRow): Promise<LocationStatus> {
    return toLocationStatus(row, await this.stitchErrors(row.id));
  }

  /** Entities of a location whose final form could not be stored (see stitchPending), as location errors. */
  stitchErrors(locationId: string, limit = 100): Promise<LocationError[]> {
    return stitchErrorsOf(this.db, { locationId }, limit);
  }

  async findByTarget(type: string, target: string): Promise<LocationRow | undefined> {
    return this.db<LocationRow>('locations').where('type', type).andWhere('target', target).first();
  }

  /** Inserts a location registered through the API; undefined when (type, target) already exists. */
  async insertRegistered(spec: { type: LocationSpec['type']; target: string; presence: 'required' | 'optional' }): Promise<LocationRow | undefined> {
    const [row] = await rows<LocationRow>(
      this.db,
      `insert into locations (id, type, target, source, presence, next_refresh_at) values (?, ?, ?, 'api', ?, now())
       on conflict (type, target) do nothing returning *`,
      [randomUUID(), spec.type, spec.target, spec.presence],
    );
    return row;
  }

  /**
   * Makes the table's config locations match config: adds new ones (due at once), updates
   * rules and presence, and returns the ids of config locations no longer configured.
   */
  async syncStatic(locations: Array<{ type: LocationSpec['type']; target: string; presence: string; rules?: CatalogRule[] }>): Promise<string[]> {
    for (const l of locations) {
      await this.db.raw(
        `insert into locations (id, type, target, source, presence, rules, next_refresh_at) values (?, ?, ?, 'config', ?, ?::jsonb, now())
         on conflict (type, target) do update set source = 'config', presence = excluded.presence, rules = excluded.rules,
           content_hash = case when locations.rules is distinct from excluded.rules or locations.presence <> excluded.presence
                               then null else locations.content_hash end`,
        [randomUUID(), l.type, l.target, l.presence, l.rules ? JSON.stringify(l.rules) : null],
      );
    }
    const keep = new Set(locations.map((l) => `${l.type}:${l.target}`));
    const configured = await this.db<LocationRow>('locations').where({ source: 'config' }).select('id', 'type', 'target');
    return configured.filter((r) => !keep.has(`${r.type}:${r.target}`)).map((r) => r.id);
  }

  /**
   * Claims one location due for refresh (or the given one), moving its next refresh forward.
   * FOR UPDATE SKIP LOCKED plus a claim lease: with several replicas each location is read
   * by one of them at a time.
   */
  async claim(replicaId: string, intervalSeconds: number, onlyId?: string, skipIds: readonly string[] = []): Promise<LocationRow | undefined> {
    const condition = onlyId ? 'id = ?' : 'next_refresh_at <= now()';
    const [row] = await rows<LocationRow>(
      this.db,
      `update locations set claimed_by = ?, claim_expires_at = now() + make_interval(secs => ?),
         next_refresh_at = now() + make_interval(secs => ? * (1 + random() * 0.25))
       where id = (
         select id from locations where ${condition} and (claim_expires_at is null or claim_expires_at < now())
           and not (id = any(?::uuid[]))
         order by next_refresh_at limit 1 for update skip locked)
       returning *`,
      [replicaId, this.leaseSeconds, intervalSeconds, ...(onlyId ? [onlyId] : []), [...skipIds]],
    );
    return row;
  }

  /** Extends this replica's claim by a lease; false when the claim is no longer this replica's. */
  async renew(id: string, replicaId: string): Promise<boolean> {
    const changed = await rows<{ id: string }>(
      this.db,
      `update locations set claim_expires_at = now() + make_interval(secs => ?) where id = ? and claimed_by = ? returning id`,
      [this.leaseSeconds, id, replicaId],
    );
    return changed.length > 0;
  }

  /**
   * Drops every claim. Only for a database this process alone can use (the embedded one, whose
   * directory is locked to one process): any claim found at start was left by a process that
   * stopped without releasing it, and its locations can be read again at once.
   */
  async releaseAllClaims(): Promise<number> {
    const released = await rows<{ id: string }>(
      this.db,
      `update locations set claimed_by = null, claim_expires_at = null where claimed_by is not null returning id`,
    );
    return released.length;
  }

  /** Records a finished read and releases the claim. */
  async finish(
    id: string,
    replicaId: string,
    result: {
      contentHash: string | null;
      revision?: string;
      errors: LocationError[];
      entityCount?: number;
      files?: string[] | null;
      fingerprint?: string | null;
    },
    /** Runs in the same transaction as the update (the event log's location error). */
    alsoInTransaction?: (trx: Knex.Transaction) => Promise<void>,
  ): Promise<void> {
    if (alsoInTransaction) {
      await this.db.transaction(async (trx) => {
        await this.finishIn(trx, id, replicaId, result);
        await alsoInTransaction(trx);
      });
      return;
    }
    await this.finishIn(this.db, id, replicaId, result);
  }

  private async finishIn(
    db: Knex | Knex.Transaction,
    id: string,
    replicaId: string,
    result: {
      contentHash: string | null;
      revision?: string;
      errors: LocationError[];
      entityCount?: number;
      files?: string[] | null;
      fingerprint?: string | null;
    },
  ): Promise<void> {
    await db('locations')
      .where({ id, claimed_by: replicaId })
      .update({
        content_hash: result.contentHash,
        ...(result.revision !== undefined ? { revision: result.revision } : {}),
        errors: jsonWithoutNul(result.errors),
        ...(result.entityCount !== undefined ? { entity_count: result.entityCount } : {}),
        ...(result.fingerprint !== undefined ? { fingerprint: result.fingerprint, files: result.files ? JSON.stringify(result.files) : null } : {}),
        last_read_at: db.fn.now(),
        force_refresh: false,
        claimed_by: null,
        claim_expires_at: null,
      });
  }

  /** Releases a claim without recording a result (the read was abandoned). */
  async release(id: string, replicaId: string): Promise<void> {
    await this.db('locations').where({ id, claimed_by: replicaId }).update({ claimed_by: null, claim_expires_at: null });
  }

  /** Makes a location due now and skips its unchanged-content shortcut once. */
  async requestRefresh(id: string, db: Db = this.db): Promise<void> {
    await db('locations').where({ id }).update({ next_refresh_at: db.fn.now(), force_refresh: true });
  }

  async delete(id: string): Promise<void> {
    await this.db('locations').where({ id }).delete();
  }
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
