import { DEFAULT_NAMESPACE, parseEntityRef, type CompoundEntityRef, type EntityRefContext } from '@atrium/catalog-model';

/** Where the catalog shows entities: `/catalog/:namespace/:kind/:name` (Backstage's layout). */
export const CATALOG_ROUTE = '/catalog';

/**
 * The entity page of a ref, e.g. `component:default/orders-service` → `/catalog/default/component/orders-service`.
 * Kind is lower-cased like Backstage's URLs; namespace and name keep their case. Returns undefined
 * for a ref that does not parse, so callers can show plain text instead of a broken link.
 */
export function entityRoutePath(ref: string | CompoundEntityRef, context: EntityRefContext = {}): string | undefined {
  const parsed = toCompound(ref, context);
  if (!parsed) return undefined;
  const parts = [parsed.namespace || DEFAULT_NAMESPACE, parsed.kind.toLowerCase(), parsed.name];
  return `${CATALOG_ROUTE}/${parts.map(encodeURIComponent).join('/')}`;
}

/**
 * A short, readable form of a ref: the kind is left out when it is the expected one, and the
 * namespace when it is `default` (`group:default/platform-team` → `platform-team`).
 */
export function humanizeEntityRef(ref: string | CompoundEntityRef, context: { defaultKind?: string; defaultNamespace?: string } = {}): string {
  const parsed = toCompound(ref, context);
  if (!parsed) return typeof ref === 'string' ? ref : ref.name;
  const sameKind = context.defaultKind !== undefined && parsed.kind.toLowerCase() === context.defaultKind.toLowerCase();
  const namespace = parsed.namespace || DEFAULT_NAMESPACE;
  const sameNamespace = namespace.toLowerCase() === (context.defaultNamespace ?? DEFAULT_NAMESPACE).toLowerCase();
  return `${sameKind ? '' : `${parsed.kind.toLowerCase()}:`}${sameNamespace ? '' : `${namespace}/`}${parsed.name}`;
}

function toCompound(ref: string | CompoundEntityRef, context: EntityRefContext): CompoundEntityRef | undefined {
  if (typeof ref !== 'string') return ref;
  try {
    return parseEntityRef(ref, context);
  } catch {
    return undefined;
  }
}
