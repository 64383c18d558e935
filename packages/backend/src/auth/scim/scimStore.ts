import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import SCIMMY from 'scimmy';
import type { Clock } from '../clock.js';
import { preconditionFailed } from './scimIfMatch.js';
import type { ScimGroupRecord, ScimUserRecord } from './scimEntities.js';

type Json = Record<string, unknown>;

export interface StoredUser extends ScimUserRecord {
  externalId: string | null;
  resource: Json;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface StoredGroup extends ScimGroupRecord {
  externalId: string | null;
  resource: Json;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface UserRow {
  id: string;
  external_id: string | null;
  user_name: string;
  entity_name: string;
  active: boolean;
  display_name: string | null;
  emails: unknown;
  resource: unknown;
  version: number;
  created_at: Date;
  updated_at: Date;
}

interface GroupRow {
  id: string;
  external_id: string | null;
  display_name: string;
  entity_name: string;
  resource: unknown;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** What a write of a user carries, taken from the SCIM resource. */
export interface UserInput {
  userName: string;
  externalId: string | null;
  active: boolean;
  displayName: string | null;
  emails: ScimUserRecord['emails'];
  resource: Json;
}

export interface GroupInput {
  displayName: string;
  externalId: string | null;
  members: ScimGroupRecord['members'];
  resource: Json;
}

const json = (v: unknown): Json => (typeof v === 'string' ? (JSON.parse(v) as Json) : ((v ?? {}) as Json));
const iso = (d: Date) => new Date(d).toISOString();

function isUniqueViolation(e: unknown, column: string): boolean {
  const err = e as { code?: string; constraint?: string; detail?: string; message?: string };
  return err?.code === '23505' && `${err.constraint ?? ''} ${err.detail ?? ''} ${err.message ?? ''}`.includes(column);
}

/** The SCIM directory in `atrium_auth` (scim_users, scim_groups, scim_group_members). */
export class ScimStore {
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
  ) {}

  async getUser(id: string): Promise<StoredUser | undefined> {
    if (!isUuid(id)) return undefined;
    const row = (await this.db('scim_users').where({ id }).first()) as UserRow | undefined;
    return row ? toUser(row) : undefined;
  }

  /** Users, narrowed in SQL when the filter is a plain `userName eq` / `externalId eq` / `id eq`. */
  async listUsers(narrow: { userName?: string; externalId?: string; id?: string } = {}): Promise<StoredUser[]> {
    if (narrow.id !== undefined && !isUuid(narrow.id)) return [];
    let q = this.db('scim_users').orderBy('created_at').orderBy('id');
    if (narrow.userName !== undefined) q = q.where({ user_name_key: narrow.userName.toLowerCase() });
    if (narrow.externalId !== undefined) q = q.where({ external_id: narrow.externalId });
    if (narrow.id !== undefined) q = q.where({ id: narrow.id });
    return ((await q) as UserRow[]).map(toUser);
  }

  /** Creates a user; a userName taken (case-insensitively) is a SCIM 409 `uniqueness`. */
  async createUser(input: UserInput, entityName: (taken: (n: string) => Promise<boolean>) => Promise<string>): Promise<StoredUser> {
    for (let attempt = 0; ; attempt++) {
      const now = this.clock();
      const name = await entityName(async (n) => !!(await this.db('scim_users').where({ entity_name: n }).first()));
      const row: UserRow = {
        id: randomUUID(),
        external_id: input.externalId,
        user_name: input.userName,
        entity_name: name,
        active: input.active,
        display_name: input.displayName,
        emails: input.emails,
        resource: input.resource,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      try {
        await this.db('scim_users').insert({
          ...row,
          user_name_key: input.userName.toLowerCase(),
          emails: JSON.stringify(input.emails),
          resource: JSON.stringify(input.resource),
        });
        return toUser(row);
      } catch (e) {
        if (isUniqueViolation(e, 'user_name_key')) throw userNameTaken(input.userName);
        // Two creates chose the same entity name at once: choose again.
        if (isUniqueViolation(e, 'entity_name') && attempt < 5) continue;
        throw e;
      }
    }
  }

  /**
   * Replaces a user's attributes (its id and entity name stay), if it is still at `expected`
   * (the version the caller read; default the current one). Changed meanwhile: 412 when the
   * client sent If-Match (`preconditioned`), else 409.
   */
  async replaceUser(
    id: string,
    input: UserInput,
    options: { expected?: StoredUser; preconditioned?: boolean } = {},
  ): Promise<{ before: StoredUser; after: StoredUser } | undefined> {
    const before = options.expected ?? (await this.getUser(id));
    if (!before) return undefined;
    try {
      const n = await this.db('scim_users')
        .where({ id, version: before.version })
        .update({
          external_id: input.externalId,
          user_name: input.userName,
          user_name_key: input.userName.toLowerCase(),
          active: input.active,
          display_name: input.displayName,
          emails: JSON.stringify(input.emails),
          resource: JSON.stringify(input.resource),
          version: before.version + 1,
          updated_at: this.clock(),
        });
      if (n === 0) throw await this.changedMeanwhile('User', id, options.preconditioned);
    } catch (e) {
      if (isUniqueViolation(e, 'user_name_key')) throw userNameTaken(input.userName);
      throw e;
    }
    return { before, after: present(await this.getUser(id), `User ${id}`) };
  }

  /**
   * Deletes a user and its memberships; the deleted user, or undefined. With `expected` (If-Match
   * was checked against it), only while the user is still at that version, else 412.
   */
  async deleteUser(id: string, expected?: StoredUser): Promise<StoredUser | undefined> {
    const user = expected ?? (await this.getUser(id));
    if (!user) return undefined;
    const deleted = await this.db.transaction(async (trx) => {
      const n = await trx('scim_users')
        .where({ id, ...(expected ? { version: expected.version } : {}) })
        .delete();
      if (n === 0 && expected) return false;
      await trx('scim_group_members').where({ member_id: id }).delete();
      return true;
    });
    if (!deleted) throw await this.changedMeanwhile('User', id, true);
    return user;
  }

  /** The groups a user is a direct member of (for the User resource's `groups`). */
  async groupsOfUser(userId: string): Promise<Array<{ id: string; displayName: string }>> {
    const rows = (await this.db('scim_group_members as m')
      .join('scim_groups as g', 'g.id', 'm.group_id')
      .where('m.member_id', userId)
      .orderBy('g.display_name')
      .select('g.id', 'g.display_name')) as Array<{ id: string; display_name: string }>;
    return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
  }

  async getGroup(id: string): Promise<StoredGroup | undefined> {
    if (!isUuid(id)) return undefined;
    const row = (await this.db('scim_groups').where({ id }).first()) as GroupRow | undefined;
    return row ? (await this.withMembers([row]))[0] : undefined;
  }

  async listGroups(narrow: { displayName?: string; externalId?: string; id?: string } = {}): Promise<StoredGroup[]> {
    if (narrow.id !== undefined && !isUuid(narrow.id)) return [];
    let q = this.db('scim_groups').orderBy('created_at').orderBy('id');
    if (narrow.displayName !== undefined) q = q.whereRaw('lower(display_name) = ?', [narrow.displayName.toLowerCase()]);
    if (narrow.externalId !== undefined) q = q.where({ external_id: narrow.externalId });
    if (narrow.id !== undefined) q = q.where({ id: narrow.id });
    return this.withMembers((await q) as GroupRow[]);
  }

  async createGroup(input: GroupInput, entityName: (taken: (n: string) => Promise<boolean>) => Promise<string>): Promise<StoredGroup> {
    const members = await this.existingMembers(input.members);
    for (let attempt = 0; ; attempt++) {
      const now = this.clock();
      const name = await entityName(async (n) => !!(await this.db('scim_groups').where({ entity_name: n }).first()));
      const id = randomUUID();
      try {
        await this.db.transaction(async (trx) => {
          await trx('scim_groups').insert({
            id,
            external_id: input.externalId,
            display_name: input.displayName,
            entity_name: name,
            resource: JSON.stringify(input.resource),
            version: 1,
            created_at: now,
            updated_at: now,
          });
          if (members.length > 0) await trx('scim_group_members').insert(members.map((m) => ({ group_id: id, member_id: m.id, member_type: m.type })));
        });
        return present(await this.getGroup(id), `Group ${id}`);
      } catch (e) {
        if (isUniqueViolation(e, 'entity_name') && attempt < 5) continue;
        throw e;
      }
    }
  }

  /** Replaces a group's attributes and its whole member list, if still at `expected` (as replaceUser). */
  async replaceGroup(
    id: string,
    input: GroupInput,
    options: { expected?: StoredGroup; preconditioned?: boolean } = {},
  ): Promise<{ before: StoredGroup; after: StoredGroup } | undefined> {
    const before = options.expected ?? (await this.getGroup(id));
    if (!before) return undefined;
    const members = await this.existingMembers(input.members);
    // The conflict is answered after the transaction (its connection may be the only one, on PGlite).
    const written = await this.db.transaction(async (trx) => {
      const n = await trx('scim_groups')
        .where({ id, version: before.version })
        .update({
          external_id: input.externalId,
          display_name: input.displayName,
          resource: JSON.stringify(input.resource),
          version: before.version + 1,
          updated_at: this.clock(),
        });
      if (n === 0) return false;
      await trx('scim_group_members').where({ group_id: id }).delete();
      if (members.length > 0) await trx('scim_group_members').insert(members.map((m) => ({ group_id: id, member_id: m.id, member_type: m.type })));
      return true;
    });
    if (!written) throw await this.changedMeanwhile('Group', id, options.preconditioned);
    return { before, after: present(await this.getGroup(id), `Group ${id}`) };
  }

  /** Deletes a group and the memberships naming it (with `expected`, as deleteUser). */
  async deleteGroup(id: string, expected?: StoredGroup): Promise<StoredGroup | undefined> {
    const group = expected ?? (await this.getGroup(id));
    if (!group) return undefined;
    const deleted = await this.db.transaction(async (trx) => {
      const n = await trx('scim_groups')
        .where({ id, ...(expected ? { version: expected.version } : {}) })
        .delete();
      if (n === 0 && expected) return false;
      await trx('scim_group_members').where({ member_id: id }).delete();
      return true;
    });
    if (!deleted) throw await this.changedMeanwhile('Group', id, true);
    return group;
  }

  /** A write that found the row at another version than it read: 412 under If-Match, else 409 (gone: 404). */
  private async changedMeanwhile(what: 'User' | 'Group', id: string, preconditioned: boolean | undefined): Promise<InstanceType<typeof SCIMMY.Types.Error>> {
    const now = what === 'User' ? await this.getUser(id) : await this.getGroup(id);
    if (!now) return new SCIMMY.Types.Error(404, null as unknown as string, `${what} ${id} not found`);
    if (preconditioned) return preconditionFailed(what, id, now.version);
    return new SCIMMY.Types.Error(409, null as unknown as string, `${what} ${id} was changed by another request; try again`);
  }

  /** The whole directory, for the catalog provider. */
  async snapshot(): Promise<{ users: StoredUser[]; groups: StoredGroup[] }> {
    return { users: await this.listUsers(), groups: await this.listGroups() };
  }

  /** Members that exist (a member id naming no user or group is a 400 `invalidValue`). */
  private async existingMembers(members: GroupInput['members']): Promise<GroupInput['members']> {
    const ids = [...new Set(members.map((m) => m.id))];
    const bad = ids.filter((id) => !isUuid(id));
    if (bad.length > 0) throw new SCIMMY.Types.Error(400, 'invalidValue', `Group members name no known User or Group: ${bad.join(', ')}`);
    const users = new Set(((await this.db('scim_users').whereIn('id', ids).select('id')) as Array<{ id: string }>).map((r) => r.id));
    const groups = new Set(((await this.db('scim_groups').whereIn('id', ids).select('id')) as Array<{ id: string }>).map((r) => r.id));
    const unknown = ids.filter((id) => !users.has(id) && !groups.has(id));
    if (unknown.length > 0) throw new SCIMMY.Types.Error(400, 'invalidValue', `Group members name no known User or Group: ${unknown.join(', ')}`);
    return ids.map((id) => ({ id, type: users.has(id) ? ('User' as const) : ('Group' as const) }));
  }

  private async withMembers(rows: GroupRow[]): Promise<StoredGroup[]> {
    if (rows.length === 0) return [];
    const members = (await this.db('scim_group_members')
      .whereIn(
        'group_id',
        rows.map((r) => r.id),
      )
      .orderBy('member_id')) as Array<{ group_id: string; member_id: string; member_type: 'User' | 'Group' }>;
    const byGroup = new Map<string, StoredGroup['members']>();
    for (const m of members) byGroup.set(m.group_id, [...(byGroup.get(m.group_id) ?? []), { id: m.member_id, type: m.member_type }]);
    return rows.map((r) => ({
      id: r.id,
      externalId: r.external_id,
      displayName: r.display_name,
      entityName: r.entity_name,
      members: byGroup.get(r.id) ?? [],
      resource: json(r.resource),
      version: r.version,
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
    }));
  }
}

function toUser(row: UserRow): StoredUser {
  return {
    id: row.id,
    externalId: row.external_id,
    userName: row.user_name,
    entityName: row.entity_name,
    active: row.active,
    displayName: row.display_name,
    emails: (typeof row.emails === 'string' ? JSON.parse(row.emails) : row.emails) as StoredUser['emails'],
    resource: json(row.resource),
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function userNameTaken(userName: string): Error {
  return new SCIMMY.Types.Error(409, 'uniqueness', `A user with userName "${userName}" already exists`);
}

/** A row just written is there; a concurrent delete makes it a 404. */
function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new SCIMMY.Types.Error(404, null as unknown as string, `${what} not found`);
  return value;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
