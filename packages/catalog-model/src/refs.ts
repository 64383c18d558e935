import { DEFAULT_NAMESPACE, type Entity } from './entity.js';
import { isRecord } from './fieldPath.js';

/** A fully qualified reference to an entity. Case as written; compare refs case-insensitively. */
export type CompoundEntityRef = { kind: string; namespace: string; name: string };

/** A ref as written in a descriptor: `[<kind>:][<namespace>/]<name>`, or its object form. */
export type EntityRefInput = string | { kind?: string; namespace?: string; name: string };

/** Where a ref leaves out its kind or namespace, these fill in. */
export type EntityRefContext = { defaultKind?: string; defaultNamespace?: string };

/**
 * A malformed entity ref. Named `InputError`, Backstage's name for bad input, with status
 * 400, so an HTTP layer that lets it escape answers with a client error.
 */
export class InvalidEntityRefError extends Error {
  override readonly name = 'InputError';
  readonly statusCode = 400;
  readonly ref: unknown;
  constructor(message: string, ref: unknown) {
    super(message);
    this.ref = ref;
  }
}

const FORM = 'expected [<kind>:][<namespace>/]<name>, e.g. "component:default/my-service"';

/** Splits `[<kind>:][<namespace>/]<name>`. A ":" after the first "/" belongs to the name. */
function splitRefString(ref: string): { kind?: string; namespace?: string; name: string } {
  const slash = ref.indexOf('/');
  let colon = ref.indexOf(':');
  if (slash !== -1 && slash < colon) colon = -1;
  const kind = colon === -1 ? undefined : ref.slice(0, colon);
  const namespace = slash === -1 ? undefined : ref.slice(colon + 1, slash);
  const name = ref.slice(Math.max(colon + 1, slash + 1));
  const empty = kind === '' ? 'kind' : namespace === '' ? 'namespace' : name === '' ? 'name' : undefined;
  if (empty) {
    throw new InvalidEntityRefError(`Entity ref ${JSON.stringify(ref)} has an empty ${empty}; ${FORM}`, ref);
  }
  return { kind, namespace, name };
}

function describe(ref: unknown): string {
  return typeof ref === 'string' ? JSON.stringify(ref) : (JSON.stringify(ref) ?? String(ref));
}

/**
 * Parses an entity ref, filling a missing kind or namespace from the context (namespace
 * falls back to `default`). Throws InvalidEntityRefError for an empty or malformed ref, or
 * one with no kind and no default kind. Case is kept as written.
 */
export function parseEntityRef(ref: unknown, context: EntityRefContext = {}): CompoundEntityRef {
  let parts: { kind?: unknown; namespace?: unknown; name?: unknown };
  if (typeof ref === 'string') {
    if (ref === '') throw new InvalidEntityRefError(`Entity ref must not be empty; ${FORM}`, ref);
    parts = splitRefString(ref);
  } else if (isRecord(ref)) {
    parts = { kind: ref.kind, namespace: ref.namespace, name: ref.name };
    for (const key of ['kind', 'namespace', 'name'] as const) {
      const value = parts[key];
      if (value !== undefined && (typeof value !== 'string' || value === '')) {
        throw new InvalidEntityRefError(`Entity ref ${describe(ref)} has an invalid ${key}: it must be a non-empty string`, ref);
      }
    }
  } else {
    throw new InvalidEntityRefError(`Entity ref must be a string or an object with kind, namespace and name, but is ${describe(ref)}`, ref);
  }

  const kind = (parts.kind as string | undefined) ?? context.defaultKind;
  const namespace = (parts.namespace as string | undefined) ?? (context.defaultNamespace || DEFAULT_NAMESPACE);
  const name = parts.name as string | undefined;
  if (!name) {
    throw new InvalidEntityRefError(`Entity ref ${describe(ref)} has no name; ${FORM}`, ref);
  }
  if (!kind) {
    throw new InvalidEntityRefError(
      `Entity ref ${describe(ref)} has no kind and none can be assumed here; write it with a kind, e.g. "component:${name}"`,
      ref,
    );
  }
  return { kind, namespace, name };
}

/**
 * The canonical string form, `kind:namespace/name`, all lower-cased, exactly as Backstage
 * writes refs in relations, URLs and database keys.
 */
export function stringifyEntityRef(ref: { kind: string; namespace?: string; name: string } | Entity): string {
  const { kind, namespace, name } = 'metadata' in ref ? { kind: ref.kind, namespace: ref.metadata.namespace, name: ref.metadata.name } : ref;
  return `${kind}:${namespace || DEFAULT_NAMESPACE}/${name}`.toLowerCase();
}

/** Parses a ref in context and returns its canonical string form. */
export function normalizeEntityRef(ref: unknown, context: EntityRefContext = {}): string {
  return stringifyEntityRef(parseEntityRef(ref, context));
}

/** The ref of an entity, with its namespace defaulted. */
export function getCompoundEntityRef(entity: Entity): CompoundEntityRef {
  return {
    kind: entity.kind,
    namespace: entity.metadata.namespace || DEFAULT_NAMESPACE,
    name: entity.metadata.name,
  };
}

function canonical(ref: unknown, context: EntityRefContext): string {
  if (isRecord(ref) && isRecord(ref.metadata)) return stringifyEntityRef(ref as Entity);
  return normalizeEntityRef(ref, context);
}

/**
 * Orders two refs (strings, compound refs or entities) by their canonical form, so refs that
 * differ only in case, or in an omitted default namespace, compare equal (0). The order is
 * by code point, the same on every machine and locale.
 */
export function compareEntityRefs(a: unknown, b: unknown, context: EntityRefContext = {}): number {
  const x = canonical(a, context);
  const y = canonical(b, context);
  return x < y ? -1 : x > y ? 1 : 0;
}
