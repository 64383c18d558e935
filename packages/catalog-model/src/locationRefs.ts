/**
 * Location refs, `<type>:<target>` (`url:https://…`, `file:/path`): the value of the
 * managed-by-location annotations and of registered locations. Only the first colon
 * separates; the target may contain more.
 */

export type LocationRef = { type: string; target: string };

export function parseLocationRef(ref: string): LocationRef {
  if (typeof ref !== 'string') {
    throw new TypeError(`Location ref must be a string, but is ${JSON.stringify(ref)}`);
  }
  const colon = ref.indexOf(':');
  const type = colon === -1 ? '' : ref.slice(0, colon);
  const target = colon === -1 ? '' : ref.slice(colon + 1);
  if (type === 'http' || type === 'https') {
    throw new TypeError(`Location ref ${JSON.stringify(ref)} has no type; prefix it with "url:", e.g. "url:${ref}"`);
  }
  if (!type || !target) {
    throw new TypeError(`Location ref ${JSON.stringify(ref)} is malformed; expected <type>:<target>, e.g. "url:https://example.com/catalog-info.yaml"`);
  }
  return { type, target };
}

export function stringifyLocationRef(ref: LocationRef): string {
  if (!ref.type || !ref.target) {
    throw new TypeError(`Location ref needs a type and a target, got ${JSON.stringify(ref)}`);
  }
  return `${ref.type}:${ref.target}`;
}
