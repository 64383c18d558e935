import type { Entity } from '@atrium/catalog-model';
import type { EntitySelector } from '../common/index.js';

const SHORTHANDS: Record<string, string> = {
  type: 'spec.type',
  lifecycle: 'spec.lifecycle',
  owner: 'spec.owner',
  tags: 'metadata.tags',
  namespace: 'metadata.namespace',
  name: 'metadata.name',
};

function valuesAt(entity: Entity, path: string): string[] {
  let cur: unknown = entity;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return [];
    cur = (cur as Record<string, unknown>)[part];
  }
  if (path === 'metadata.namespace' && cur === undefined) return ['default'];
  const list = Array.isArray(cur) ? cur : [cur];
  return list.filter((v) => v !== undefined && v !== null).map((v) => String(v).toLowerCase());
}

/** Whether an entity matches a selector: every key matches (AND), list values match any item (OR), case-insensitively. */
export function matchesSelector(entity: Entity, selector: EntitySelector): boolean {
  for (const [key, expected] of Object.entries(selector)) {
    const wanted = (Array.isArray(expected) ? expected : [expected]).map((v) => v.toLowerCase());
    if (!wanted.length) continue;
    const actual = valuesAt(entity, SHORTHANDS[key] ?? key);
    if (!actual.some((v) => wanted.includes(v))) return false;
  }
  return true;
}
