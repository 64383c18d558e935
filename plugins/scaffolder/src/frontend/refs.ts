/** `kind:namespace/name` of an entity, lower-cased kind as Backstage writes refs. */
export function refOf(e: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${e.kind.toLowerCase()}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`;
}

export function templatePath(ref: string): string {
  const m = /^(?:[^:]+:)?(?:([^/]+)\/)?(.+)$/.exec(ref);
  return `/create/templates/${encodeURIComponent(m?.[1] ?? 'default')}/${encodeURIComponent(m?.[2] ?? ref)}`;
}
