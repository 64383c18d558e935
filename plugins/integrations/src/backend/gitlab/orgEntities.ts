import type { DeferredEntity } from '@atrium/plugin-catalog/backend';
import type { GroupLike, MemberLike } from './discovery.js';

/** `acme/platform/sre` → `acme-platform-sre` (entity names have no `/`). */
export function groupEntityName(fullPath: string): string {
  return fullPath
    .replace(/\//g, '-')
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/[^A-Za-z0-9]+$/, '');
}

/**
 * GitLab groups and their direct members as Backstage entities: one `Group` per group (type
 * `team`, `spec.parent`/`spec.children` from the subgroup tree, so the catalog derives
 * `parentOf`/`childOf`) and one `User` per active member (`spec.memberOf` every group they are a
 * direct member of, so the catalog derives `memberOf`/`hasMember`). Blocked users are left out.
 */
export function buildOrgEntities(targetId: string, groups: GroupLike[], members: Map<number, MemberLike[]>): DeferredEntity[] {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const out: DeferredEntity[] = [];
  const users = new Map<string, { member: MemberLike; groups: string[] }>();
  for (const g of groups) {
    const name = groupEntityName(g.full_path);
    const parent = g.parent_id !== null ? byId.get(g.parent_id) : undefined;
    const children = groups.filter((c) => c.parent_id === g.id).map((c) => groupEntityName(c.full_path));
    out.push({
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: {
          name,
          ...(g.description ? { description: g.description } : {}),
          annotations: { 'gitlab.com/group-path': g.full_path, ...(g.web_url ? { 'backstage.io/view-url': g.web_url } : {}) },
        },
        spec: { type: 'team', profile: { displayName: g.full_name ?? g.name }, ...(parent ? { parent: groupEntityName(parent.full_path) } : {}), children },
      },
      locationKey: `gitlab:${targetId}:group/${g.id}`,
      authoritative: true,
    });
    for (const m of members.get(g.id) ?? []) {
      if (m.state !== 'active') continue;
      const u = users.get(m.username) ?? { member: m, groups: [] };
      u.groups.push(name);
      users.set(m.username, u);
    }
  }
  for (const { member, groups: memberOf } of users.values()) {
    out.push({
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: {
          name: member.username,
          annotations: { 'gitlab.com/user-login': member.username, ...(member.web_url ? { 'backstage.io/view-url': member.web_url } : {}) },
        },
        spec: {
          profile: { displayName: member.name, ...(member.email ? { email: member.email } : {}), ...(member.avatar_url ? { picture: member.avatar_url } : {}) },
          memberOf: [...new Set(memberOf)],
        },
      },
      locationKey: `gitlab:${targetId}:user/${member.id}`,
      authoritative: true,
    });
  }
  return out;
}
