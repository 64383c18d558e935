import { parseEntityRef, stringifyEntityRef } from '@atrium/catalog-model';

/** The canonical ref of an entity (`kind:namespace/name`, lower-cased, namespace defaulted). */
export function refOf(e: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return stringifyEntityRef({ kind: e.kind, name: e.metadata.name, ...(e.metadata.namespace ? { namespace: e.metadata.namespace } : {}) });
}

/** The canonical ref of a template written in full or short (`name`, `ns/name`, `template:ns/name`); undefined when unreadable. */
export function templateRefOf(ref: string): string | undefined {
  try {
    return stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'template' }));
  } catch {
    return undefined;
  }
}

/** `/create/templates/:namespace/:name` of a template ref (canonical, so one template has one URL); undefined when unreadable. */
export function templatePath(ref: string): string | undefined {
  const canonical = templateRefOf(ref);
  if (!canonical) return undefined;
  const { namespace, name } = parseEntityRef(canonical);
  return `/create/templates/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}
