import type { Entity } from '@atrium/catalog-model';
import type { DeferredEntity } from '@atrium/plugin-catalog/backend';
import { loadAll } from 'js-yaml';
import { entityName } from './names.js';

/** The parts of a repository discovery keeps (from the list API or a webhook payload). */
export interface RepoSummary {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  htmlUrl: string;
  defaultBranch: string;
  pushedAt: string | null;
  archived: boolean;
  visibility: string;
  topics: string[];
  language: string | null;
  description: string | null;
}

export function toSummary(r: Record<string, unknown>): RepoSummary {
  const owner = (r['owner'] as { login?: string } | undefined)?.login ?? String(r['full_name'] ?? '').split('/')[0] ?? '';
  const pushed = r['pushed_at'];
  return {
    id: Number(r['id']),
    owner,
    name: String(r['name']),
    fullName: String(r['full_name'] ?? `${owner}/${String(r['name'])}`),
    htmlUrl: String(r['html_url'] ?? ''),
    defaultBranch: String(r['default_branch'] ?? 'main'),
    pushedAt: typeof pushed === 'string' ? pushed : typeof pushed === 'number' ? new Date(pushed * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
    archived: r['archived'] === true,
    visibility: typeof r['visibility'] === 'string' ? r['visibility'] : r['private'] ? 'private' : 'public',
    topics: Array.isArray(r['topics']) ? (r['topics'] as unknown[]).map(String) : [],
    language: typeof r['language'] === 'string' ? r['language'] : null,
    description: typeof r['description'] === 'string' ? r['description'] : null,
  };
}

export const blobUrl = (repo: RepoSummary, path: string) => `${repo.htmlUrl}/blob/${repo.defaultBranch}/${path}`;

/**
 * The entities of one descriptor file, annotated with where they came from. Throws with a
 * readable message when the YAML does not parse or a document is not an entity; the caller
 * records that on the repository, the others are unaffected.
 */
export function parseDescriptor(text: string, repo: RepoSummary, path: string): DeferredEntity[] {
  let docs: unknown[];
  try {
    docs = loadAll(text, null) as unknown[];
  } catch (e) {
    throw new Error(`${path}: invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const location = `url:${blobUrl(repo, path)}`;
  const out: DeferredEntity[] = [];
  docs.forEach((doc, i) => {
    if (doc === null || doc === undefined) return;
    const e = doc as Partial<Entity>;
    if (
      typeof doc !== 'object' ||
      Array.isArray(doc) ||
      typeof e.apiVersion !== 'string' ||
      typeof e.kind !== 'string' ||
      typeof e.metadata?.name !== 'string'
    ) {
      throw new Error(`${path}: document ${i + 1} is not an entity (it needs apiVersion, kind and metadata.name)`);
    }
    out.push({
      entity: {
        ...(e as Entity),
        metadata: {
          ...e.metadata,
          annotations: {
            ...(e.metadata.annotations ?? {}),
            'backstage.io/managed-by-location': location,
            'backstage.io/managed-by-origin-location': location,
            'backstage.io/source-location': `url:${repo.htmlUrl}/tree/${repo.defaultBranch}/`,
            'github.com/project-slug': repo.fullName,
          },
        },
      } as Entity,
      locationKey: location,
    });
  });
  return out;
}

/** Owners named in a CODEOWNERS file's catch-all rule (`* @org/team @user`), as entity refs. */
export function ownerFromCodeowners(text: string, org: string): string | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
  const catchAll = lines.reverse().find((l) => /^\*\s/.test(l) || l === '*' || /^\/\*?\s/.test(l));
  const first = catchAll
    ?.split(/\s+/)
    .slice(1)
    .find((o) => o.startsWith('@'));
  if (!first) return undefined;
  const [a, b] = first.slice(1).split('/');
  if (b && a?.toLowerCase() === org.toLowerCase()) return `group:default/${entityName(b)}`;
  if (!b && a) return `user:default/${entityName(a)}`;
  return undefined;
}

/** The Component generated for a repository without a descriptor. */
export function generatedComponent(repo: RepoSummary, owner: string): DeferredEntity {
  const location = `url:${repo.htmlUrl}`;
  const tags = [
    ...new Set(
      repo.topics
        .map((t) =>
          t
            .toLowerCase()
            .replace(/[^a-z0-9:+#-]/g, '-')
            .slice(0, 63),
        )
        .filter(Boolean),
    ),
  ];
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: entityName(repo.name),
      ...(repo.description ? { description: repo.description } : {}),
      tags: repo.language ? [...new Set([...tags, repo.language.toLowerCase().replace(/[^a-z0-9:+#-]/g, '-')])] : tags,
      links: [{ url: repo.htmlUrl, title: 'Repository', icon: 'github' }],
      annotations: {
        'github.com/project-slug': repo.fullName,
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': location,
        'backstage.io/source-location': `url:${repo.htmlUrl}/tree/${repo.defaultBranch}/`,
        'atrium.dev/generated-by': 'integrations.github',
      },
    },
    spec: { type: 'service', lifecycle: repo.archived ? 'deprecated' : 'production', owner },
  } as Entity;
  return { entity, locationKey: location };
}

/** Groups (teams, with parent/children) and Users (members, memberOf) of an org. */
export function orgEntities(
  org: string,
  host: string,
  teams: Array<{ slug: string; name: string; description: string | null; parent: string | null; members: string[] }>,
): DeferredEntity[] {
  const origin = `github-org:${host}/${org}`;
  const annotations = (extra: Record<string, string>) => ({
    'backstage.io/managed-by-location': origin,
    'backstage.io/managed-by-origin-location': origin,
    ...extra,
  });
  const memberOf = new Map<string, string[]>();
  const out: DeferredEntity[] = [];
  for (const t of teams) {
    for (const m of t.members) memberOf.set(m, [...(memberOf.get(m) ?? []), `group:default/${entityName(t.slug)}`]);
    out.push({
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: {
          name: entityName(t.slug),
          ...(t.description ? { description: t.description } : {}),
          annotations: annotations({ 'github.com/team-slug': `${org}/${t.slug}` }),
        },
        spec: {
          type: 'team',
          profile: { displayName: t.name },
          ...(t.parent ? { parent: `group:default/${entityName(t.parent)}` } : {}),
          children: teams.filter((c) => c.parent === t.slug).map((c) => `group:default/${entityName(c.slug)}`),
          members: t.members.map((m) => `user:default/${entityName(m)}`),
        },
      } as Entity,
      locationKey: `${origin}/team/${t.slug}`,
      authoritative: true,
    });
  }
  for (const [login, groups] of memberOf) {
    out.push({
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: entityName(login), annotations: annotations({ 'github.com/user-login': login }) },
        spec: { profile: { displayName: login }, memberOf: groups },
      } as Entity,
      locationKey: `${origin}/user/${login}`,
      authoritative: true,
    });
  }
  return out;
}
