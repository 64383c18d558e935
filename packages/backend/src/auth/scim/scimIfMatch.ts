import SCIMMY from 'scimmy';

/**
 * A request's `If-Match` (RFC 7232 §3.1, used by SCIM for versioned writes, RFC 7644 §3.14):
 * `*` (any current version), or the entity tags the client last saw. Resource versions are
 * served as weak tags (`W/"3"`); SCIM clients send them back as they got them, so `W/"3"` and
 * `"3"` both name version 3.
 */
export type IfMatch = { any: true } | { versions: number[] };

/** Reads the header; undefined when absent. A tag that names no version of ours matches nothing. */
export function parseIfMatch(header: string | string[] | undefined): IfMatch | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  if (value === '') return undefined;
  if (value === '*') return { any: true };
  const versions: number[] = [];
  for (const tag of value.split(',')) {
    const m = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(tag);
    if (m) versions.push(Number(m[1]));
  }
  return { versions };
}

/** Whether a resource at `version` satisfies the precondition (none given: always). */
export function ifMatchAllows(ifMatch: IfMatch | undefined, version: number): boolean {
  if (!ifMatch || 'any' in ifMatch) return true;
  return ifMatch.versions.includes(version);
}

/** SCIM's answer to a stale `If-Match`: 412, naming the current version. */
export function preconditionFailed(what: string, id: string, version: number): InstanceType<typeof SCIMMY.Types.Error> {
  return new SCIMMY.Types.Error(
    412,
    null as unknown as string,
    `${what} ${id} is at version W/"${version}", not the one If-Match names; read it again and retry`,
  );
}

/** Throws the 412 when the resource's version does not satisfy the precondition. */
export function checkIfMatch(ifMatch: IfMatch | undefined, what: string, id: string, version: number): void {
  if (!ifMatchAllows(ifMatch, version)) throw preconditionFailed(what, id, version);
}
