import type { AuditService, Caller } from '@atrium/backend-plugin-api';
import type { Logger } from 'pino';
import SCIMMY from 'scimmy';
import type { SessionStore } from '../sessionStore.js';
import type { TokenStore } from '../tokenStore.js';
import type { ScimCatalog, ScimCatalogSync } from './scimCatalogSync.js';
import { checkIfMatch, type IfMatch } from './scimIfMatch.js';
import { entityNameFrom, SCIM_ID_ANNOTATION, uniqueEntityName } from './scimEntities.js';
import type { GroupInput, ScimStore, StoredGroup, StoredUser, UserInput } from './scimStore.js';

type Json = Record<string, unknown>;

const notFound = (what: string, id: string) => new SCIMMY.Types.Error(404, null as unknown as string, `${what} ${id} not found`);
const invalid = (message: string) => new SCIMMY.Types.Error(400, 'invalidValue', message);

/** Fields the server owns: never stored from a request. */
const SERVER_FIELDS = new Set(['id', 'meta', 'groups', 'password', 'members']);

function storedResource(instance: Json): Json {
  return Object.fromEntries(Object.entries(instance).filter(([k, v]) => !SERVER_FIELDS.has(k) && v !== undefined));
}

/**
 * SCIM provisioning: the directory in `atrium_auth`, its catalog entities, and what a
 * deprovisioning does (sessions and tokens of the user revoked). Every change is audited with
 * the SCIM client's service token as the actor.
 */
export class ScimService {
  constructor(
    readonly store: ScimStore,
    readonly sync: ScimCatalogSync,
    private readonly sessions: SessionStore,
    private readonly tokens: TokenStore,
    private readonly audit: AuditService,
    private readonly catalog: () => ScimCatalog | undefined,
    private readonly logger: Logger,
  ) {}

  static userRef(user: Pick<StoredUser, 'entityName'>): string {
    return `user:default/${user.entityName}`;
  }

  static groupRef(group: Pick<StoredGroup, 'entityName'>): string {
    return `group:default/${group.entityName}`;
  }

  async getUser(id: string): Promise<StoredUser> {
    const user = await this.store.getUser(id);
    if (!user) throw notFound('User', id);
    return user;
  }

  async getGroup(id: string): Promise<StoredGroup> {
    const group = await this.store.getGroup(id);
    if (!group) throw notFound('Group', id);
    return group;
  }

  /**
   * 412 unless the resource is at a version `If-Match` names (nothing to check without it);
   * 404 when there is no such resource.
   */
  async checkIfMatch(kind: 'User' | 'Group', id: string, ifMatch: IfMatch | undefined): Promise<void> {
    if (!ifMatch) return;
    const current = kind === 'User' ? await this.getUser(id) : await this.getGroup(id);
    checkIfMatch(ifMatch, kind, id, current.version);
  }

  /** POST (no id) or PUT/PATCH (id) of a user; with `ifMatch`, only over a version it names (else 412). */
  async writeUser(id: string | undefined, instance: Json, caller: Caller, ifMatch?: IfMatch): Promise<StoredUser> {
    const previous = id ? await this.getUser(id) : undefined;
    if (previous) checkIfMatch(ifMatch, 'User', previous.id, previous.version);
    const input = userInput(instance, previous);
    if (!previous) {
      const user = await this.store.createUser(input, (taken) => uniqueEntityName(entityNameFrom(input.userName, 'user'), this.nameTaken('user', taken)));
      await this.audit.record({
        actor: caller,
        action: 'scim.user.create',
        target: ScimService.userRef(user),
        meta: { scimId: user.id, userName: user.userName, active: user.active },
      });
      await this.afterChange();
      return user;
    }
    const { before, after } = (await this.store.replaceUser(previous.id, input, { expected: previous, preconditioned: !!ifMatch })) ?? {};
    if (!before || !after) throw notFound('User', previous.id);
    const deactivated = before.active && !after.active;
    const revoked = deactivated ? await this.revoke(after) : undefined;
    await this.audit.record({
      actor: caller,
      action: deactivated ? 'scim.user.deactivate' : 'scim.user.update',
      target: ScimService.userRef(after),
      meta: { scimId: after.id, userName: after.userName, active: after.active, ...(revoked ?? {}) },
      before: { userName: before.userName, active: before.active, displayName: before.displayName, emails: before.emails },
      after: { userName: after.userName, active: after.active, displayName: after.displayName, emails: after.emails },
    });
    await this.afterChange();
    return after;
  }

  async deleteUser(id: string, caller: Caller, ifMatch?: IfMatch): Promise<void> {
    let expected: StoredUser | undefined;
    if (ifMatch) {
      expected = await this.getUser(id);
      checkIfMatch(ifMatch, 'User', id, expected.version);
    }
    const user = await this.store.deleteUser(id, expected);
    if (!user) throw notFound('User', id);
    const revoked = await this.revoke(user);
    await this.audit.record({
      actor: caller,
      action: 'scim.user.delete',
      target: ScimService.userRef(user),
      meta: { scimId: user.id, userName: user.userName, ...revoked },
    });
    await this.afterChange();
  }

  async writeGroup(id: string | undefined, instance: Json, caller: Caller, ifMatch?: IfMatch): Promise<StoredGroup> {
    const previous = id ? await this.getGroup(id) : undefined;
    if (previous) checkIfMatch(ifMatch, 'Group', previous.id, previous.version);
    const input = groupInput(instance);
    if (!previous) {
      const group = await this.store.createGroup(input, (taken) =>
        uniqueEntityName(entityNameFrom(input.displayName, 'group'), this.nameTaken('group', taken)),
      );
      await this.audit.record({
        actor: caller,
        action: 'scim.group.create',
        target: ScimService.groupRef(group),
        meta: { scimId: group.id, displayName: group.displayName, members: group.members.length },
      });
      await this.afterChange();
      return group;
    }
    const { before, after } = (await this.store.replaceGroup(previous.id, input, { expected: previous, preconditioned: !!ifMatch })) ?? {};
    if (!before || !after) throw notFound('Group', previous.id);
    const ids = (g: StoredGroup) => new Set(g.members.map((m) => m.id));
    const added = [...ids(after)].filter((m) => !ids(before).has(m));
    const removed = [...ids(before)].filter((m) => !ids(after).has(m));
    await this.audit.record({
      actor: caller,
      action: 'scim.group.update',
      target: ScimService.groupRef(after),
      meta: { scimId: after.id, displayName: after.displayName, membersAdded: added, membersRemoved: removed },
      before: { displayName: before.displayName, externalId: before.externalId },
      after: { displayName: after.displayName, externalId: after.externalId },
    });
    await this.afterChange();
    return after;
  }

  async deleteGroup(id: string, caller: Caller, ifMatch?: IfMatch): Promise<void> {
    let expected: StoredGroup | undefined;
    if (ifMatch) {
      expected = await this.getGroup(id);
      checkIfMatch(ifMatch, 'Group', id, expected.version);
    }
    const group = await this.store.deleteGroup(id, expected);
    if (!group) throw notFound('Group', id);
    await this.audit.record({
      actor: caller,
      action: 'scim.group.delete',
      target: ScimService.groupRef(group),
      meta: { scimId: group.id, displayName: group.displayName },
    });
    await this.afterChange();
  }

  /** Ends the user's sessions and revokes its tokens (a deactivated or deleted user). */
  private async revoke(user: StoredUser): Promise<{ sessionsRevoked: number; tokensRevoked: number }> {
    const ref = ScimService.userRef(user);
    const sessionsRevoked = await this.sessions.revokeAll(ref);
    const tokensRevoked = await this.tokens.revokeAllOwnedBy(ref);
    return { sessionsRevoked, tokensRevoked };
  }

  /** The tables are the truth: a catalog that cannot be updated now catches up on the next sync. */
  private async afterChange(): Promise<void> {
    try {
      await this.sync.sync();
    } catch (e) {
      this.logger.error({ err: e }, 'SCIM: updating the catalog failed; the periodic sync will retry');
    }
  }

  /** A name is taken when a SCIM row has it, or the catalog has an entity of that kind and name that SCIM did not make. */
  private nameTaken(kind: 'user' | 'group', takenInStore: (n: string) => Promise<boolean>): (n: string) => Promise<boolean> {
    return async (name) => {
      if (await takenInStore(name)) return true;
      const existing = await this.catalog()
        ?.getEntityByRef(`${kind}:default/${name}`)
        .catch(() => undefined);
      return !!existing && !existing.metadata?.annotations?.[SCIM_ID_ANNOTATION];
    };
  }
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

function userInput(instance: Json, previous: StoredUser | undefined): UserInput {
  const userName = instance['userName'];
  if (typeof userName !== 'string' || userName.trim() === '') throw invalid('userName is required');
  const name = instance['name'] as { formatted?: string; givenName?: string; familyName?: string } | undefined;
  const fromName = name?.formatted ?? ([name?.givenName, name?.familyName].filter(Boolean).join(' ') || undefined);
  const emails = Array.isArray(instance['emails']) ? (instance['emails'] as UserInput['emails']).filter((e) => typeof e?.value === 'string') : [];
  const active = typeof instance['active'] === 'boolean' ? instance['active'] : (previous?.active ?? true);
  return {
    userName: userName.trim(),
    externalId: stringOrNull(instance['externalId']),
    active,
    displayName: stringOrNull(instance['displayName']) ?? stringOrNull(fromName),
    emails: emails.map((e) => ({ value: e.value, ...(e.type ? { type: e.type } : {}), ...(e.primary ? { primary: true } : {}) })),
    resource: storedResource(instance),
  };
}

function groupInput(instance: Json): GroupInput {
  const displayName = instance['displayName'];
  if (typeof displayName !== 'string' || displayName.trim() === '') throw invalid('displayName is required');
  const members = Array.isArray(instance['members']) ? (instance['members'] as Array<{ value?: unknown }>) : [];
  const ids = members.map((m) => m?.value);
  if (ids.some((v) => typeof v !== 'string')) throw invalid("Every group member needs a value (the member's id)");
  return {
    displayName: displayName.trim(),
    externalId: stringOrNull(instance['externalId']),
    members: (ids as string[]).map((id) => ({ id, type: 'User' })),
    resource: storedResource(instance),
  };
}
