import type { Entity } from '@atrium/catalog-model';
import { entityRoutePath } from '@atrium/ui';
import { Center, Loader, Text, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { entityNamespace } from '../components/entityDisplay';
import { ColumnCell, type RefTitles } from './ColumnCell';
import { nameCellSubtitle, type ColumnSpec } from './columns';
import type { SortState } from './filterState';
import classes from './EntityTable.module.css';

export const ROW_HEIGHT = 57;
/** Start loading the next page this many rows before the end is reached. */
const PREFETCH_ROWS = 30;

export interface EntityTableProps {
  rows: readonly Entity[];
  columns: readonly ColumnSpec[];
  totalItems: number | undefined;
  sort: SortState;
  onSort: (sort: SortState) => void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  /** Dims the rows while a new filter's first page loads. */
  isStale: boolean;
  /** The query string the rows are for; exposed as `data-view` for tests and benchmarks. */
  viewKey: string;
  caption: string;
  /** Titles of the entities the cells refer to (owners, systems…). */
  refTitles: RefTitles;
}

/**
 * The explorer's entity table. Only the rows near the viewport are in the DOM (the window
 * scrolls, so the page behaves like any other), and the next page loads before the end is
 * reached. It stays a real <table> with aria-rowcount/aria-rowindex, so screen readers
 * announce the full size of the list.
 */
export function EntityTable(props: EntityTableProps) {
  const { rows, columns } = props;
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  // Where the rows start on the page, for the window virtualizer. Measured when the table
  // appears, when the window resizes, and when what is above it may have moved; not on every
  // render (reading layout forces the browser to lay the page out).
  const { caption } = props;
  useLayoutEffect(() => {
    const measure = () => {
      const top = (bodyRef.current?.getBoundingClientRect().top ?? 0) + window.scrollY;
      setScrollMargin((previous) => (Math.abs(previous - top) > 1 ? top : previous));
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [caption, props.viewKey]);

  const count = rows.length + (props.hasNextPage ? 1 : 0);
  const virtualizer = useWindowVirtualizer({
    count,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin,
    // Render a screenful on the first pass instead of waiting for a measurement.
    initialRect: { width: typeof window === 'undefined' ? 0 : window.innerWidth, height: typeof window === 'undefined' ? 0 : window.innerHeight },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = props;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - PREFETCH_ROWS) fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, lastIndex, rows.length, fetchNextPage]);

  const totalWidth = columns.reduce((sum, c) => sum + c.width, 0);
  const paddingTop = items.length > 0 ? items[0]!.start - scrollMargin : 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]!.end - scrollMargin) : 0;

  return (
    <div className={classes.frame} data-stale={props.isStale || undefined} data-view={props.viewKey} aria-busy={props.isStale || undefined}>
      <table className={classes.table} aria-rowcount={(props.totalItems ?? rows.length) + 1} aria-label={caption}>
        <colgroup>
          {columns.map((column) => (
            <col key={column.id} style={{ width: `${(column.width / totalWidth) * 100}%` }} />
          ))}
        </colgroup>
        <thead className={classes.head}>
          <tr aria-rowindex={1}>
            {columns.map((column) => (
              <HeaderCell key={column.id} column={column} sort={props.sort} onSort={props.onSort} />
            ))}
          </tr>
        </thead>
        <tbody ref={bodyRef}>
          {paddingTop > 0 && <tr aria-hidden style={{ height: paddingTop }} />}
          {items.map((item) => {
            const entity = rows[item.index];
            if (!entity) {
              return (
                <tr key="loader" style={{ height: ROW_HEIGHT }}>
                  <td colSpan={columns.length}>
                    <Center>
                      <Loader size="xs" aria-hidden />
                      <Text size="sm" c="dimmed" ml="xs" role="status">
                        Loading more…
                      </Text>
                    </Center>
                  </td>
                </tr>
              );
            }
            return <EntityRow key={entity.metadata.uid ?? item.index} entity={entity} columns={columns} rowIndex={item.index + 2} titles={props.refTitles} />;
          })}
          {paddingBottom > 0 && <tr aria-hidden style={{ height: paddingBottom }} />}
        </tbody>
      </table>
    </div>
  );
}

/**
 * One row, in plain elements styled by the CSS module: a screenful of rows re-renders on every
 * filter change and scroll step, and component-library cells cost several times more.
 */
const EntityRow = memo(function EntityRow(props: { entity: Entity; columns: readonly ColumnSpec[]; rowIndex: number; titles: RefTitles }) {
  const { entity, columns } = props;
  const href = entityRoutePath({ kind: entity.kind, namespace: entityNamespace(entity), name: entity.metadata.name });
  return (
    <tr aria-rowindex={props.rowIndex} style={{ height: ROW_HEIGHT }}>
      {columns.map((column) => {
        const value = column.value(entity);
        if (column.id === 'name') {
          const name = value.type === 'text' ? (value.text ?? entity.metadata.name) : entity.metadata.name;
          return (
            <th key="name" scope="row" className={classes.nameCell}>
              {href ? (
                <Link to={href} className={classes.nameLink}>
                  {name}
                </Link>
              ) : (
                name
              )}
              <NameSubtitle entity={entity} className={classes.description} />
            </th>
          );
        }
        return (
          <td key={column.id}>
            <ColumnCell value={value} titles={props.titles} />
          </td>
        );
      })}
    </tr>
  );
});

/** The entity's title (when it differs from the name) and description, under the name. */
export function NameSubtitle(props: { entity: Entity; className: string | undefined }) {
  const { title, description } = nameCellSubtitle(props.entity);
  if (!title && !description) return null;
  const text = [title, description].filter(Boolean).join(' · ');
  return (
    <span className={props.className} title={text}>
      {title && <span className={classes.subtitleTitle}>{title}</span>}
      {title && description && ' · '}
      {description}
    </span>
  );
}

function HeaderCell(props: { column: ColumnSpec; sort: SortState; onSort: (sort: SortState) => void }) {
  const { column, sort } = props;
  if (!column.sortField) return <th scope="col">{column.title}</th>;
  const active = sort.column === column.id;
  const nextOrder = active && sort.order === 'asc' ? 'desc' : 'asc';
  const Icon = !active ? IconArrowsSort : sort.order === 'asc' ? IconArrowUp : IconArrowDown;
  return (
    <th scope="col" aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton
        className={classes.sortButton}
        onClick={() => props.onSort({ column: column.id, order: nextOrder })}
        title={`Sort by ${column.title.toLowerCase()}, ${nextOrder === 'asc' ? 'ascending' : 'descending'}`}
      >
        <span>{column.title}</span>
        <Icon size={14} aria-hidden style={{ opacity: active ? 1 : 0.45 }} />
      </UnstyledButton>
    </th>
  );
}
