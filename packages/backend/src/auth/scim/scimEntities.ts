/** Where SCIM entities come from: their origin annotation, trusted for membership (ownership.ts). */
export const SCIM_ORIGIN = 'scim:/api/auth/scim/v2';
/** The SCIM id of the resource an entity was made from. */
export const SCIM_ID_ANNOTATION = 'atrium.io/scim-id';
/** The catalog entity provider's name (it owns these entities in the catalog). */
export const SCIM_PROVIDER_NAME = 'atrium-scim';

const MAX_NAME = 63;

/**
 * A catalog entity name from a SCIM userName or displayName: lower case, every run of other
 * characters than `a-z 0-9 . _ -` (`@`, spaces, accents) becomes `-`, separators never doubled nor
 * at either end, at most 63 characters; `fallback` when nothing is left.
 */
export function entityNameFrom(value: string, fallback: string): string {
  const name = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[._-]{2,}/g, (run) => (run.includes('-') ? '-' : run[0]!))
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, MAX_NAME)
    .replace(/[._-]+$/g, '');
  return name || fallback;
}

/** `base`, or `base-2`, `base-3`… (cut to fit 63 characters): the first that `taken` refuses. */
export async function uniqueEntityName(base: string, taken: (name: string) => Promise<boolean>): Promise<string> {
  for (let n = 1; n < 10_000; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const candidate = `${base.slice(0, MAX_NAME - suffix.length).replace(/[._-]+$/g, '')}${suffix}`;
    if (!(await taken(candidate))) return candidate;
  }
  throw new Error(`No free entity name for "${base}"`);
}

export interface ScimUserRecord {
  id: string;
  userName: string;
  entityName: string;
  active: boolean;
  displayName: string | null;
  emails: Array<{ value?: string; primary?: boolean; type?: string }>;
}

export interface ScimGroupRecord {
  id: string;
  displayName: string;
  entityName: string;
  members: Array<{ id: string; type: 'User' | 'Group' }>;
}

interface CatalogEntity {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; title?: string; annotations: Record<string, string> };
  spec: Record<string, unknown>;
}

function annotations(id: string): Record<string, string> {
  return {
    'backstage.io/managed-by-location': SCIM_ORIGIN,
    'backstage.io/managed-by-origin-location': SCIM_ORIGIN,
    [SCIM_ID_ANNOTATION]: id,
  };
}

/**
 * The catalog entities of a SCIM directory: one `User` per active user (its groups in
 * `spec.memberOf`) and one `Group` per group (`type: team`, child groups in `spec.children`).
 * Inactive users are left out, and so are they from every group.
 */
export function scimEntities(users: readonly ScimUserRecord[], groups: readonly ScimGroupRecord[]): Array<{ entity: CatalogEntity; locationKey: string }> {
  const activeUsers = new Map(users.filter((u) => u.active).map((u) => [u.id, u]));
  const groupsById = new Map(groups.map((g) => [g.id, g]));
  const memberOf = new Map<string, string[]>();
  for (const g of groups) {
    for (const m of g.members)
      if (m.type === 'User' && activeUsers.has(m.id)) memberOf.set(m.id, [...(memberOf.get(m.id) ?? []), `group:default/${g.entityName}`]);
  }
  const out: Array<{ entity: CatalogEntity; locationKey: string }> = [];
  for (const u of activeUsers.values()) {
    const email = (u.emails.find((e) => e.primary) ?? u.emails[0])?.value;
    const profile: Record<string, string> = {};
    if (email) profile['email'] = email;
    if (u.displayName) profile['displayName'] = u.displayName;
    out.push({
      locationKey: `scim:user/${u.id}`,
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: u.entityName, namespace: 'default', annotations: annotations(u.id) },
        spec: { profile, memberOf: [...new Set(memberOf.get(u.id) ?? [])].sort() },
      },
    });
  }
  for (const g of groups) {
    const children = g.members
      .filter((m) => m.type === 'Group' && groupsById.has(m.id) && m.id !== g.id)
      .map((m) => `group:default/${groupsById.get(m.id)!.entityName}`);
    out.push({
      locationKey: `scim:group/${g.id}`,
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: g.entityName, namespace: 'default', title: g.displayName, annotations: annotations(g.id) },
        spec: { type: 'team', profile: { displayName: g.displayName }, children: [...new Set(children)].sort() },
      },
    });
  }
  return out;
}
