import type { Caller } from '@atrium/backend-plugin-api';
import SCIMMY from 'scimmy';
import type { IfMatch } from './scimIfMatch.js';
import type { ScimService } from './scimService.js';
import type { StoredGroup, StoredUser } from './scimStore.js';

type Json = Record<string, unknown>;

/** What every SCIM library handler receives as its context: this backend's service and the caller. */
export interface ScimContext {
  service: ScimService;
  caller: Caller;
  /** The request's `If-Match` (PUT, PATCH, DELETE): writes only over a version it names, else 412. */
  ifMatch?: IfMatch;
}

type FilterGroup = Record<string, unknown>;

const version = (v: number) => `W/"${v}"`;

/** A stored user as a SCIM User resource (the library applies `attributes` and adds `meta.location`). */
export async function userResource(service: ScimService, user: StoredUser, withGroups = true): Promise<Json> {
  const groups = withGroups ? await service.store.groupsOfUser(user.id) : [];
  return {
    ...user.resource,
    schemas: undefined,
    id: user.id,
    ...(user.externalId ? { externalId: user.externalId } : {}),
    userName: user.userName,
    active: user.active,
    ...(user.displayName ? { displayName: user.displayName } : {}),
    emails: user.emails,
    groups: groups.map((g) => ({ value: g.id, display: g.displayName, type: 'direct' })),
    meta: { resourceType: 'User', created: user.createdAt, lastModified: user.updatedAt, version: version(user.version) },
  };
}

/** Display names of every user (userName) and group, by id: the `display` of group members. */
export async function memberNames(service: ScimService): Promise<Map<string, string>> {
  const users = (await service.store.listUsers()).map((u) => [u.id, u.userName] as const);
  const groups = (await service.store.listGroups()).map((g) => [g.id, g.displayName] as const);
  return new Map([...users, ...groups]);
}

export async function groupResource(service: ScimService, group: StoredGroup, names?: Map<string, string>): Promise<Json> {
  const display = names ?? (await memberNames(service));
  return {
    ...group.resource,
    schemas: undefined,
    id: group.id,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    displayName: group.displayName,
    members: group.members.map((m) => ({ value: m.id, type: m.type, display: display.get(m.id) ?? m.id })),
    meta: { resourceType: 'Group', created: group.createdAt, lastModified: group.updatedAt, version: version(group.version) },
  };
}

/**
 * The `eq` value of a filter that is exactly `<attribute> eq "<string>"`, for narrowing in SQL;
 * undefined for anything else (which is then matched in memory by the library's filter).
 */
function simpleEq(filter: SCIMMY.Types.Filter | undefined, attribute: string): string | undefined {
  if (!filter || filter.length !== 1) return undefined;
  const entries = Object.entries(filter[0] as FilterGroup);
  if (entries.length !== 1) return undefined;
  const [key, expression] = entries[0]!;
  if (key.toLowerCase() !== attribute.toLowerCase() || !Array.isArray(expression) || expression.length !== 2) return undefined;
  const [op, value] = expression as unknown[];
  return typeof op === 'string' && op.toLowerCase() === 'eq' && typeof value === 'string' ? value : undefined;
}

/** The plain `eq` comparisons of a filter on these attributes, to narrow the rows read. */
function narrowing<K extends string>(filter: SCIMMY.Types.Filter | undefined, attributes: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const a of attributes) {
    const value = simpleEq(filter, a);
    if (value !== undefined) out[a] = value;
  }
  return out;
}

function contextOf(ctx: ScimContext | undefined): ScimContext {
  if (!ctx) throw new Error('SCIM resource handlers need a ScimContext');
  return ctx;
}

/** The filter with every `userName` comparison value in lower case (userName is case-insensitive). */
function caseInsensitiveUserName(filter: SCIMMY.Types.Filter): SCIMMY.Types.Filter {
  const lower = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : Array.isArray(v) ? v.map(lower) : v);
  // Comparators are matched case-insensitively by the library, so lower-casing them too is harmless.
  const groups = (JSON.parse(JSON.stringify([...filter])) as FilterGroup[]).map((g) =>
    Object.fromEntries(Object.entries(g).map(([k, v]) => [k, k.toLowerCase() === 'username' ? lower(v) : v])),
  );
  return new SCIMMY.Types.Filter(groups as never);
}

let declared = false;

/**
 * Declares the User and Group resource types to the SCIM library once per process. The
 * library's registry is global, so handlers find this backend's store through the context
 * each request passes (`ScimContext`), never through a captured variable.
 */
export function declareScimResources(basepath: string): void {
  SCIMMY.Config.set({
    documentationUri: undefined,
    patch: { supported: true },
    filter: { supported: true, maxResults: 200 },
    bulk: { supported: false },
    changePassword: { supported: false },
    sort: { supported: true },
    // Versions are served as ETags (W/"<n>") and If-Match is honoured on PUT, PATCH and DELETE.
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Atrium API token',
        description: 'A service API token with the auth.scim scope, sent as Authorization: Bearer atr_…',
        primary: true,
      },
    ],
  } as never);
  SCIMMY.Resources.User.basepath(basepath);
  SCIMMY.Resources.Group.basepath(basepath);
  if (declared) return;
  declared = true;

  SCIMMY.Resources.declare(SCIMMY.Resources.User, { extensions: [{ schema: SCIMMY.Schemas.EnterpriseUser, required: false }] } as never);
  SCIMMY.Resources.User.ingress(async (resource, instance, ctx?: ScimContext) => {
    const { service, caller, ifMatch } = contextOf(ctx);
    const user = await service.writeUser(resource.id, JSON.parse(JSON.stringify(instance)) as Json, caller, ifMatch);
    return (await userResource(service, user)) as never;
  });
  SCIMMY.Resources.User.egress((async (resource: SCIMMY.Resources.User, ctx?: ScimContext) => {
    const { service } = contextOf(ctx);
    if (resource.id) return userResource(service, await service.getUser(resource.id));
    const filter = resource.filter;
    const candidates = await service.store.listUsers(narrowing(filter, ['userName', 'externalId', 'id'] as const));
    const resources = await Promise.all(candidates.map((u) => userResource(service, u)));
    if (!filter) return resources;
    const keyed = resources.map((r) => ({ ...r, userName: String(r['userName']).toLowerCase() }));
    const matched = new Set(
      caseInsensitiveUserName(filter)
        .match(keyed)
        .map((r) => r['id']),
    );
    return resources.filter((r) => matched.has(r['id']));
  }) as never);
  SCIMMY.Resources.User.degress(async (resource, ctx?: ScimContext) => {
    const { service, caller, ifMatch } = contextOf(ctx);
    await service.deleteUser(String(resource.id), caller, ifMatch);
  });

  SCIMMY.Resources.declare(SCIMMY.Resources.Group);
  SCIMMY.Resources.Group.ingress(async (resource, instance, ctx?: ScimContext) => {
    const { service, caller, ifMatch } = contextOf(ctx);
    const group = await service.writeGroup(resource.id, JSON.parse(JSON.stringify(instance)) as Json, caller, ifMatch);
    return (await groupResource(service, group)) as never;
  });
  SCIMMY.Resources.Group.egress((async (resource: SCIMMY.Resources.Group, ctx?: ScimContext) => {
    const { service } = contextOf(ctx);
    if (resource.id) return groupResource(service, await service.getGroup(resource.id));
    const filter = resource.filter;
    const candidates = await service.store.listGroups(narrowing(filter, ['displayName', 'externalId', 'id'] as const));
    const names = await memberNames(service);
    const resources = await Promise.all(candidates.map((g) => groupResource(service, g, names)));
    if (!filter || simpleEq(filter, 'displayName') !== undefined) return resources;
    return filter.match(resources);
  }) as never);
  SCIMMY.Resources.Group.degress(async (resource, ctx?: ScimContext) => {
    const { service, caller, ifMatch } = contextOf(ctx);
    await service.deleteGroup(String(resource.id), caller, ifMatch);
  });
}
