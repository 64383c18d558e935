import type { Entity } from '@atrium/catalog-model';
import { EntityRefLink } from '@atrium/ui';
import { Box, Center, Loader, Table, Text, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { entityNamespace } from '../components/entityDisplay';
import { ColumnCell } from './ColumnCell';
import type { ColumnSpec } from './columns';
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
  useLayoutEffect(() => {
    const measure = () => {
      const top = (bodyRef.current?.getBoundingClientRect().top ?? 0) + window.scrollY;
      setScrollMargin((previous) => (Math.abs(previous - top) > 1 ? top : previous));
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  });

  const count = rows.length + (props.hasNextPage ? 1 : 0);
  const virtualizer = useWindowVirtualizer({ count, estimateSize: () => ROW_HEIGHT, overscan: 12, scrollMargin });
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
    <Box className={classes.frame} data-stale={props.isStale || undefined} data-view={props.viewKey} aria-busy={props.isStale || undefined}>
      <Table
        layout="fixed"
        highlightOnHover
        className={classes.table}
        aria-rowcount={(props.totalItems ?? rows.length) + 1}
        aria-label={props.caption}
      >
        <colgroup>
          {columns.map((column) => (
            <col key={column.id} style={{ width: `${(column.width / totalWidth) * 100}%` }} />
          ))}
        </colgroup>
        <Table.Thead className={classes.head}>
          <Table.Tr aria-rowindex={1}>
            {columns.map((column) => (
              <HeaderCell key={column.id} column={column} sort={props.sort} onSort={props.onSort} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody ref={bodyRef}>
          {paddingTop > 0 && <tr aria-hidden style={{ height: paddingTop }} />}
          {items.map((item) => {
            const entity = rows[item.index];
            if (!entity) {
              return (
                <Table.Tr key="loader" style={{ height: ROW_HEIGHT }}>
                  <Table.Td colSpan={columns.length}>
                    <Center>
                      <Loader size="xs" aria-hidden />
                      <Text size="sm" c="dimmed" ml="xs" role="status">
                        Loading more…
                      </Text>
                    </Center>
                  </Table.Td>
                </Table.Tr>
              );
            }
            return <EntityRow key={entity.metadata.uid ?? item.index} entity={entity} columns={columns} rowIndex={item.index + 2} />;
          })}
          {paddingBottom > 0 && <tr aria-hidden style={{ height: paddingBottom }} />}
        </Table.Tbody>
      </Table>
    </Box>
  );
}

function EntityRow(props: { entity: Entity; columns: readonly ColumnSpec[]; rowIndex: number }) {
  const { entity, columns } = props;
  const ref = { kind: entity.kind, namespace: entityNamespace(entity), name: entity.metadata.name };
  return (
    <Table.Tr aria-rowindex={props.rowIndex} style={{ height: ROW_HEIGHT }}>
      {columns.map((column) => {
        const value = column.value(entity);
        if (column.id === 'name') {
          return (
            <Table.Th key="name" scope="row" fw="normal" className={classes.nameCell}>
              <EntityRefLink entityRef={ref} title={value.type === 'text' ? value.text : entity.metadata.name} size="sm" fw={600} />
              {entity.metadata.description && (
                <Text size="xs" c="dimmed" truncate="end" title={entity.metadata.description}>
                  {entity.metadata.description}
                </Text>
              )}
            </Table.Th>
          );
        }
        return (
          <Table.Td key={column.id}>
            <ColumnCell value={value} />
          </Table.Td>
        );
      })}
    </Table.Tr>
  );
}

function HeaderCell(props: { column: ColumnSpec; sort: SortState; onSort: (sort: SortState) => void }) {
  const { column, sort } = props;
  if (!column.sortField) return <Table.Th>{column.title}</Table.Th>;
  const active = sort.column === column.id;
  const nextOrder = active && sort.order === 'asc' ? 'desc' : 'asc';
  const Icon = !active ? IconArrowsSort : sort.order === 'asc' ? IconArrowUp : IconArrowDown;
  return (
    <Table.Th aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton
        className={classes.sortButton}
        onClick={() => props.onSort({ column: column.id, order: nextOrder })}
        title={`Sort by ${column.title.toLowerCase()}, ${nextOrder === 'asc' ? 'ascending' : 'descending'}`}
      >
        <span>{column.title}</span>
        <Icon size={14} aria-hidden style={{ opacity: active ? 1 : 0.45 }} />
      </UnstyledButton>
    </Table.Th>
  );
}
