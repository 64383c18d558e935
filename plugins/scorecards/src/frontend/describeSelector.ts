import type { EntitySelector } from '../common';

/** A selector in words: `kind: Component · type: service or website`. */
export function describeSelector(filter: EntitySelector): string {
  const parts = Object.entries(filter).map(([k, v]) => `${k}: ${(Array.isArray(v) ? v : [v]).join(' or ')}`);
  return parts.length ? parts.join(' · ') : 'every entity';
}
