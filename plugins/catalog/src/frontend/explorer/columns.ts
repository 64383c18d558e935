import type { Entity } from '@atrium/catalog-model';
import { entityDisplayName } from '../components/entityDisplay';

/**
 * Which columns the explorer shows for a kind, which entity fields they need from the server
 * (the list asks only for those), how they sort, and what each cell holds. Rendering is in
 * `ColumnCell.tsx`; this file stays pure so the choice is easy to test.
 */

export type CellValue =
  | { type: 'text'; text: string | undefined }
  | { type: 'refs'; refs: string[]; defaultKind: string; defaultNamespace: string }
  | { type: 'tags'; tags: string[] }
  | { type: 'lifecycle'; lifecycle: string | undefined }
  | { type: 'kind'; kind: string };

export interface ColumnSpec {
  id: string;
  title: string;
  /** Dot path to order by; columns without one cannot be sorted. */
  sortField?: string;
  /** Fields the cell reads, requested with `fields=`. */
  fields: string[];
  /** Relative width in the fixed table layout. */
  width: number;
  value: (entity: Entity) => CellValue;
}

/** Always requested: enough to show the name column and link to the entity. */
export const BASE_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'metadata.uid',
  'spec.profile.displayName',
];

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const spec = (entity: Entity): Record<string, unknown> => (entity.spec ?? {}) as Record<string, unknown>;
const namespaceOf = (entity: Entity) => entity.metadata.namespace ?? 'default';

/** A ref-valued spec field, e.g. `spec.owner` (default kind group) or `spec.system`. */
function refColumn(id: string, title: string, field: string, defaultKind: string, width: number): ColumnSpec {
  const key = field.slice('spec.'.length);
  return {
    id,
    title,
    sortField: field,
    fields: [field],
    width,
    value: (entity) => {
      const raw = spec(entity)[key];
      const refs = Array.isArray(raw) ? strings(raw) : str(raw) ? [raw as string] : [];
      return { type: 'refs', refs, defaultKind, defaultNamespace: namespaceOf(entity) };
    },
  };
}

function textColumn(id: string, title: string, field: string, width: number, sortable = true): ColumnSpec {
  const path = field.split('.');
  return {
    id,
    title,
    ...(sortable ? { sortField: field } : {}),
    fields: [field],
    width,
    value: (entity) => {
      let current: unknown = entity;
      for (const part of path) current = current && typeof current === 'object' ? (current as Record<string, unknown>)[part] : undefined;
      return { type: 'text', text: str(current) };
    },
  };
}

/**
 * The Name column shows what it sorts by, `metadata.name`. The catalog's by-query sort can
 * order by one stored field and leaves out entities without it, so "title, else name" cannot
 * be a server-side sort yet; the title is shown under the name instead (see EntityTable).
 */
export const NAME_COLUMN: ColumnSpec = {
  id: 'name',
  title: 'Name',
  sortField: 'metadata.name',
  fields: [],
  width: 2.8,
  value: (entity) => ({ type: 'text', text: entity.metadata.name }),
};

/** The line under an entity's name: its title (when it says more than the name) and description. */
export function nameCellSubtitle(entity: Entity): { title?: string; description?: string } {
  const title = entityDisplayName(entity);
  const description = str(entity.metadata.description);
  return { ...(title !== entity.metadata.name ? { title } : {}), ...(description ? { description } : {}) };
}

const COLUMNS = {
  kind: {
    id: 'kind',
    title: 'Kind',
    sortField: 'kind',
    fields: ['kind'],
    width: 1,
    value: (entity: Entity): CellValue => ({ type: 'kind', kind: entity.kind }),
  },
  type: textColumn('type', 'Type', 'spec.type', 1.1),
  owner: refColumn('owner', 'Owner', 'spec.owner', 'group', 1.5),
  system: refColumn('system', 'System', 'spec.system', 'system', 1.4),
  domain: refColumn('domain', 'Domain', 'spec.domain', 'domain', 1.6),
  parent: refColumn('parent', 'Parent', 'spec.parent', 'group', 1.6),
  groups: { ...refColumn('groups', 'Groups', 'spec.memberOf', 'group', 2.4), sortField: undefined } as ColumnSpec,
  lifecycle: {
    id: 'lifecycle',
    title: 'Lifecycle',
    sortField: 'spec.lifecycle',
    fields: ['spec.lifecycle'],
    width: 1.3,
    value: (entity: Entity): CellValue => ({ type: 'lifecycle', lifecycle: str(spec(entity).lifecycle) }),
  },
  tags: {
    id: 'tags',
    title: 'Tags',
    fields: ['metadata.tags'],
    width: 2.3,
    value: (entity: Entity): CellValue => ({ type: 'tags', tags: strings(entity.metadata.tags) }),
  },
  email: textColumn('email', 'Email', 'spec.profile.email', 2),
  target: {
    id: 'target',
    title: 'Target',
    fields: ['spec.target', 'spec.targets'],
    width: 3,
    value: (entity: Entity): CellValue => {
      const s = spec(entity);
      const targets = [str(s.target), ...strings(s.targets)].filter((t): t is string => t !== undefined);
      return { type: 'text', text: targets.join(', ') || undefined };
    },
  },
  namespace: textColumn('namespace', 'Namespace', 'metadata.namespace', 1.2),
} satisfies Record<string, ColumnSpec>;

type ColumnId = keyof typeof COLUMNS;

/** Columns after Name, per kind (lower-cased); Backstage's choices where it has them. */
const KIND_COLUMNS: Record<string, ColumnId[]> = {
  component: ['system', 'owner', 'type', 'lifecycle', 'tags'],
  api: ['system', 'owner', 'type', 'lifecycle', 'tags'],
  resource: ['system', 'owner', 'type', 'tags'],
  system: ['domain', 'owner', 'tags'],
  domain: ['owner', 'tags'],
  group: ['type', 'parent', 'email'],
  user: ['email', 'groups'],
  location: ['type', 'target'],
  template: ['type', 'owner', 'tags'],
};
const OTHER_KIND_COLUMNS: ColumnId[] = ['type', 'owner', 'tags'];
const ALL_KINDS_COLUMNS: ColumnId[] = ['kind', 'type', 'owner', 'tags'];

/**
 * The columns for a kind (`all` for the mixed list). The namespace column appears only when
 * the catalog has more than one namespace, since otherwise it says nothing.
 */
export function columnsForKind(kind: string, options: { showNamespace?: boolean } = {}): ColumnSpec[] {
  const ids = kind === 'all' ? ALL_KINDS_COLUMNS : (KIND_COLUMNS[kind.toLowerCase()] ?? OTHER_KIND_COLUMNS);
  const columns: ColumnSpec[] = [NAME_COLUMN, ...ids.map((id) => COLUMNS[id])];
  if (options.showNamespace) columns.splice(1, 0, COLUMNS.namespace);
  return columns;
}

/** The fields to ask the server for, for a set of columns. */
export function fieldsForColumns(columns: readonly ColumnSpec[]): string[] {
  return [...new Set([...BASE_FIELDS, ...columns.flatMap((c) => c.fields)])];
}

/** The sort field of a column among those shown; falls back to the name. */
export function sortFieldFor(columns: readonly ColumnSpec[], columnId: string): { column: ColumnSpec; field: string } {
  const column = columns.find((c) => c.id === columnId && c.sortField) ?? NAME_COLUMN;
  return { column, field: column.sortField ?? 'metadata.name' };
}
