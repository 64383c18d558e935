import { parseEntityRef as parseRef } from '@atrium/catalog-model';

/** `github.com?owner=o&repo=r` as RepoUrlPicker writes it, split into its parts. */
export interface ParsedRepoUrl {
  host: string;
  owner?: string;
  repo: string;
  organization?: string;
  workspace?: string;
  project?: string;
}

/** Backstage's `parseRepoUrl` filter. Throws on a value that is not `host?repo=...`. */
export function parseRepoUrl(value: unknown): ParsedRepoUrl {
  if (typeof value !== 'string' || value === '')
    throw new Error(`parseRepoUrl: expected a string like "github.com?owner=o&repo=r", got ${JSON.stringify(value)}`);
  let url: URL;
  try {
    url = new URL(`https://${value}`);
  } catch {
    throw new Error(`parseRepoUrl: invalid repo URL "${value}"`);
  }
  const host = url.host;
  const get = (k: string) => url.searchParams.get(k) ?? undefined;
  const repo = get('repo');
  if (!host) throw new Error(`parseRepoUrl: "${value}" has no host`);
  if (!repo) throw new Error(`parseRepoUrl: "${value}" has no repo`);
  const out: ParsedRepoUrl = { host, repo };
  for (const k of ['owner', 'organization', 'workspace', 'project'] as const) {
    const v = get(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Backstage's `projectSlug`: `owner/repo` (GitLab-style `project`-less hosts use owner). */
export function projectSlug(value: unknown): string {
  const parsed = parseRepoUrl(value);
  return `${parsed.owner ?? parsed.organization ?? parsed.workspace ?? parsed.project ?? ''}/${parsed.repo}`;
}

/** Backstage's `parseEntityRef` filter with optional `{ defaultKind, defaultNamespace }`. */
export function parseEntityRefFilter(value: unknown, context?: { defaultKind?: string; defaultNamespace?: string }) {
  const ref = parseRef(value as string, {
    ...(context?.defaultKind ? { defaultKind: context.defaultKind } : {}),
    ...(context?.defaultNamespace ? { defaultNamespace: context.defaultNamespace } : {}),
  });
  return { kind: ref.kind, namespace: ref.namespace, name: ref.name };
}

/** Backstage's `pick`: one own key of an object. */
export function pick(value: unknown, key: unknown): unknown {
  if (!value || typeof value !== 'object' || typeof key !== 'string') return undefined;
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

export const templateFilters: Record<string, (...args: never[]) => unknown> = {
  parseRepoUrl,
  parseEntityRef: parseEntityRefFilter as (...args: never[]) => unknown,
  pick: pick as (...args: never[]) => unknown,
  projectSlug,
};
