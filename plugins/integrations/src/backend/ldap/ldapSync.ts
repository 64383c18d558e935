import { createAjv, toFieldErrors, type JsonSchema, type Logger } from '@atrium/backend-plugin-api';
import type { CatalogService, DeferredEntity, EntityProviderConnection } from '@atrium/plugin-catalog/backend';
import { Client, type Entry } from 'ldapts';

/** `integrations.ldap[]`: one directory whose users and groups become User and Group entities. */
export interface LdapSourceConfig {
  /** Names the provider (`ldap-<id>`) and the location keys. */
  id: string;
  /** `ldap://host:389` or `ldaps://host:636`. */
  url: string;
  bindDn?: string;
  bindPassword?: string;
  /** Use StartTLS on an ldap:// URL. */
  startTls: boolean;
  tls: { rejectUnauthorized: boolean };
  timeoutSeconds: number;
  users: {
    dn: string;
    filter: string;
    scope: 'base' | 'one' | 'sub';
    map: { name: string; displayName: string; email: string; picture?: string; memberOf: string };
  };
  groups: {
    dn: string;
    filter: string;
    scope: 'base' | 'one' | 'sub';
    map: { name: string; displayName: string; description: string; type?: string; members: string[] };
    /** `spec.type` when `map.type` is not set or empty. */
    defaultType: string;
  };
  schedule: { intervalSeconds: number };
}

const scope = { enum: ['base', 'one', 'sub'], default: 'sub' };
const attr = (d: string) => ({ type: 'string', minLength: 1, maxLength: 100, default: d });

export const ldapConfigSchema = {
  type: 'array',
  default: [],
  items: {
    type: 'object',
    required: ['id', 'url', 'users', 'groups'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$' },
      url: { type: 'string', pattern: '^ldaps?://[^\\s/]+/?$' },
      bindDn: { type: 'string', maxLength: 1000 },
      bindPassword: { type: 'string', maxLength: 1000 },
      startTls: { type: 'boolean', default: false },
      tls: { type: 'object', additionalProperties: false, default: {}, properties: { rejectUnauthorized: { type: 'boolean', default: true } } },
      timeoutSeconds: { type: 'integer', minimum: 1, default: 30 },
      users: {
        type: 'object',
        required: ['dn'],
        additionalProperties: false,
        properties: {
          dn: { type: 'string', minLength: 1, maxLength: 1000 },
          filter: { type: 'string', minLength: 1, maxLength: 2000, default: '(objectClass=inetOrgPerson)' },
          scope,
          map: {
            type: 'object',
            additionalProperties: false,
            default: {},
            properties: {
              name: attr('uid'),
              displayName: attr('cn'),
              email: attr('mail'),
              picture: { type: 'string', maxLength: 100 },
              memberOf: attr('memberOf'),
            },
          },
        },
      },
      groups: {
        type: 'object',
        required: ['dn'],
        additionalProperties: false,
        properties: {
          dn: { type: 'string', minLength: 1, maxLength: 1000 },
          filter: {
            type: 'string',
            minLength: 1,
            maxLength: 2000,
            default: '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))',
          },
          scope,
          map: {
            type: 'object',
            additionalProperties: false,
            default: {},
            properties: {
              name: attr('cn'),
              displayName: attr('cn'),
              description: attr('description'),
              type: { type: 'string', maxLength: 100 },
              members: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, default: ['member', 'uniqueMember', 'memberUid'] },
            },
          },
          defaultType: { type: 'string', minLength: 1, maxLength: 100, default: 'team' },
        },
      },
      schedule: { type: 'object', additionalProperties: false, default: {}, properties: { intervalSeconds: { type: 'integer', minimum: 1, default: 3600 } } },
    },
  },
} as const;

const validate = createAjv({ useDefaults: true }).compile(ldapConfigSchema as unknown as JsonSchema);

export function readLdapConfig(value: unknown): LdapSourceConfig[] {
  const list = structuredClone(value ?? []);
  if (!validate(list))
    throw new Error(
      `Invalid integrations.ldap: ${toFieldErrors(validate.errors, 'integrations.ldap')
        .map((e) => `${e.path} ${e.message}`)
        .join('; ')}`,
    );
  const sources = list as LdapSourceConfig[];
  const ids = new Set<string>();
  for (const s of sources) {
    if (ids.has(s.id)) throw new Error(`integrations.ldap: the id ${s.id} is used twice`);
    ids.add(s.id);
  }
  return sources;
}

/** DNs compare case-insensitively and without spaces around separators. */
export function normalizeDn(dn: string): string {
  return dn
    .split(/(?<!\\),/)
    .map((rdn) =>
      rdn
        .split(/(?<!\\)=/)
        .map((p) => p.trim())
        .join('='),
    )
    .join(',')
    .toLowerCase();
}

/** Entity names: letters, digits, `-`, `_`, `.`; anything else becomes `-`. */
export function entityName(value: string): string {
  return value
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
    .slice(0, 63);
}

function first(entry: Entry, attribute: string | undefined): string | undefined {
  if (!attribute) return undefined;
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const v = key ? entry[key] : undefined;
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined ? undefined : Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
}

function all(entry: Entry, attribute: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const v = key ? entry[key] : undefined;
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));
}

/**
 * Builds User and Group entities from directory entries. Membership comes from every source the
 * directory uses, merged: a group's member attributes holding DNs (`member`, `uniqueMember`:
 * users, or groups = nested groups → `spec.parent`/`spec.children`) or user ids (`memberUid`,
 * matched on the users' name attribute), and a user's `memberOf` DNs.
 */
export function buildLdapEntities(source: LdapSourceConfig, users: Entry[], groups: Entry[]): { entities: DeferredEntity[]; warnings: string[] } {
  const warnings: string[] = [];
  const userByDn = new Map<string, string>();
  const userByUid = new Map<string, string>();
  const groupByDn = new Map<string, string>();
  const memberOf = new Map<string, Set<string>>();
  const parentOf = new Map<string, string>();
  for (const u of users) {
    const raw = first(u, source.users.map.name);
    const name = raw ? entityName(raw) : '';
    if (!name) {
      warnings.push(`user ${u.dn} has no usable ${source.users.map.name}`);
      continue;
    }
    userByDn.set(normalizeDn(u.dn), name);
    userByUid.set(raw!, name);
    memberOf.set(name, new Set());
  }
  for (const g of groups) {
    const raw = first(g, source.groups.map.name);
    const name = raw ? entityName(raw) : '';
    if (!name) warnings.push(`group ${g.dn} has no usable ${source.groups.map.name}`);
    else groupByDn.set(normalizeDn(g.dn), name);
  }
  for (const g of groups) {
    const groupName = groupByDn.get(normalizeDn(g.dn));
    if (!groupName) continue;
    for (const attribute of source.groups.map.members) {
      for (const value of all(g, attribute)) {
        const dn = value.includes('=') ? normalizeDn(value) : undefined;
        const user = dn ? userByDn.get(dn) : userByUid.get(value);
        if (user) memberOf.get(user)!.add(groupName);
        else if (dn && groupByDn.has(dn)) {
          const child = groupByDn.get(dn)!;
          if (child !== groupName && !parentOf.has(child)) parentOf.set(child, groupName);
        }
      }
    }
  }
  for (const u of users) {
    const name = userByDn.get(normalizeDn(u.dn));
    if (!name) continue;
    for (const dn of all(u, source.users.map.memberOf)) {
      const group = groupByDn.get(normalizeDn(dn));
      if (group) memberOf.get(name)!.add(group);
    }
  }
  const key = (kind: string, dn: string) => `ldap:${source.id}:${kind}/${normalizeDn(dn)}`.slice(0, 2000);
  const entities: DeferredEntity[] = [];
  for (const g of groups) {
    const name = groupByDn.get(normalizeDn(g.dn));
    if (!name) continue;
    const children = [...parentOf.entries()].filter(([, p]) => p === name).map(([c]) => c);
    const description = first(g, source.groups.map.description);
    entities.push({
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name, ...(description ? { description } : {}), annotations: { 'backstage.io/ldap-dn': g.dn } },
        spec: {
          type: first(g, source.groups.map.type) || source.groups.defaultType,
          profile: { displayName: first(g, source.groups.map.displayName) ?? name },
          ...(parentOf.has(name) ? { parent: parentOf.get(name) } : {}),
          children,
        },
      },
      locationKey: key('group', g.dn),
      authoritative: true,
    });
  }
  for (const u of users) {
    const name = userByDn.get(normalizeDn(u.dn));
    if (!name) continue;
    const email = first(u, source.users.map.email);
    const picture = first(u, source.users.map.picture);
    entities.push({
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name, annotations: { 'backstage.io/ldap-dn': u.dn } },
        spec: {
          profile: { displayName: first(u, source.users.map.displayName) ?? name, ...(email ? { email } : {}), ...(picture ? { picture } : {}) },
          memberOf: [...memberOf.get(name)!].sort(),
        },
      },
      locationKey: key('user', u.dn),
      authoritative: true,
    });
  }
  return { entities, warnings };
}

export interface LdapSyncStatus {
  id: string;
  lastSyncAt: string | null;
  lastError: string | null;
  users: number;
  groups: number;
  warnings: string[];
}

/**
 * One directory as an entity provider (`ldap-<id>`): each run binds, searches users and groups
 * (paged), and applies a full mutation, so people and groups removed from the directory leave the
 * catalog. The directory is the source of truth for these entities: nothing else may write them.
 */
export class LdapSync {
  readonly providerName: string;
  private connection: EntityProviderConnection | undefined;
  private running: Promise<LdapSyncStatus> | undefined;
  private state: LdapSyncStatus;

  constructor(
    readonly source: LdapSourceConfig,
    private readonly deps: { catalog: CatalogService; logger: Logger },
  ) {
    this.providerName = `ldap-${source.id}`;
    this.state = { id: source.id, lastSyncAt: null, lastError: null, users: 0, groups: 0, warnings: [] };
  }

  async connect(): Promise<void> {
    await this.deps.catalog.registerEntityProvider({ name: this.providerName, connect: async (c) => void (this.connection = c) });
  }

  status(): LdapSyncStatus {
    return { ...this.state };
  }

  sync(): Promise<LdapSyncStatus> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<LdapSyncStatus> {
    const s = this.source;
    // ldapts speaks TLS from the first byte whenever tlsOptions are given: only for ldaps:// URLs.
    const client = new Client({
      url: s.url,
      timeout: s.timeoutSeconds * 1000,
      connectTimeout: s.timeoutSeconds * 1000,
      ...(s.url.startsWith('ldaps:') ? { tlsOptions: { rejectUnauthorized: s.tls.rejectUnauthorized } } : {}),
    });
    try {
      if (s.startTls) await client.startTLS({ rejectUnauthorized: s.tls.rejectUnauthorized });
      if (s.bindDn) await client.bind(s.bindDn, s.bindPassword ?? '');
      const userAttributes = [
        s.users.map.name,
        s.users.map.displayName,
        s.users.map.email,
        s.users.map.memberOf,
        ...(s.users.map.picture ? [s.users.map.picture] : []),
      ];
      const groupAttributes = [
        s.groups.map.name,
        s.groups.map.displayName,
        s.groups.map.description,
        ...s.groups.map.members,
        ...(s.groups.map.type ? [s.groups.map.type] : []),
      ];
      const users = (await client.search(s.users.dn, { scope: s.users.scope, filter: s.users.filter, attributes: userAttributes, paged: { pageSize: 500 } }))
        .searchEntries;
      const groups = (
        await client.search(s.groups.dn, { scope: s.groups.scope, filter: s.groups.filter, attributes: groupAttributes, paged: { pageSize: 500 } })
      ).searchEntries;
      const { entities, warnings } = buildLdapEntities(s, users, groups);
      if (!this.connection) throw new Error(`LDAP provider ${this.providerName} is not connected`);
      const result = await this.connection.applyMutation({ type: 'full', entities });
      const all = [...warnings, ...result.errors.map((e) => e.message)];
      this.state = { id: s.id, lastSyncAt: new Date().toISOString(), lastError: null, users: users.length, groups: groups.length, warnings: all.slice(0, 50) };
      this.deps.logger.info(
        { source: s.id, users: users.length, groups: groups.length, errors: result.errors.length },
        `LDAP: synced ${users.length} users and ${groups.length} groups from ${s.id}`,
      );
    } catch (e) {
      const message = (e as Error).message;
      this.state = { ...this.state, lastError: message };
      this.deps.logger.error({ err: e, source: s.id }, `LDAP: sync of ${s.id} failed (the catalog keeps the last synced entities): ${message}`);
    } finally {
      await client.unbind().catch(() => undefined);
    }
    return this.status();
  }
}
