import type { Entity } from '@atrium/catalog-model';
import { DataTable, entityRoutePath, type DataTableColumn } from '@atrium/ui';
import { Button, Loader, Text } from '@mantine/core';
import { useEffect, useMemo, useRef } from 'react';
import { Link } from 'react-router';
import { entityNamespace } from '../components/entityDisplay';
import { KindIcon } from '../components/KindIcon';
import { ColumnCell, isEmptyCell } from './ColumnCell';
import type { ColumnSpec } from './columns';
import { NameSubtitle, type EntityTableProps } from './EntityTable';
import classes from './EntityTable.module.css';

/**
 * The explorer's rows as cards, for a phone or any narrow window: the same columns as the
 * table, each a labelled line, so nothing is cut off. Pages load as the end of the list comes
 * into view (or with the button under it).
 */
export function EntityCards(props: EntityTableProps) {
  const { columns, refTitles } = props;
  const cardColumns = useMemo<Array<DataTableColumn<Entity>>>(
    () =>
      columns.map((column: ColumnSpec): DataTableColumn<Entity> => {
        if (column.id === 'name') {
          return { id: 'name', header: column.title, primary: true, cell: (entity) => <CardName entity={entity} /> };
        }
        return {
          id: column.id,
          header: column.title,
          card: column.id === 'lifecycle' ? 'aside' : 'field',
          cell: (entity) => {
            const value = column.value(entity);
            if (isEmptyCell(value)) return null;
            return (
              <span className={classes.cardCell}>
                <ColumnCell value={value} titles={refTitles} layout="card" />
              </span>
            );
          },
        };
      }),
    [columns, refTitles],
  );

  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = props;
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasNextPage || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) fetchNextPage();
      },
      { rootMargin: '600px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <div
      className={classes.frame}
      style={{ border: 0 }}
      data-stale={props.isStale || undefined}
      data-view={props.viewKey}
      aria-busy={props.isStale || undefined}
    >
      <DataTable mode="cards" label={props.caption} rows={props.rows} columns={cardColumns} rowKey={(entity, index) => entity.metadata.uid ?? String(index)} />
      {hasNextPage && (
        <div ref={sentinel} className={classes.loadMore}>
          {isFetchingNextPage ? (
            <Text size="sm" c="dimmed" role="status">
              <Loader size="xs" mr="xs" aria-hidden />
              Loading more…
            </Text>
          ) : (
            <Button variant="default" size="sm" onClick={() => fetchNextPage()}>
              Show more
            </Button>
          )}
        </div>
      )}
    </div>
  );
}

function CardName(props: { entity: Entity }) {
  const { entity } = props;
  const href = entityRoutePath({ kind: entity.kind, namespace: entityNamespace(entity), name: entity.metadata.name });
  return (
    <>
      <span className={classes.cardName}>
        <KindIcon kind={entity.kind} />
        {href ? (
          <Link to={href} className={classes.nameLink}>
            {entity.metadata.name}
          </Link>
        ) : (
          entity.metadata.name
        )}
      </span>
      <NameSubtitle entity={entity} className={classes.cardSubtitle} />
    </>
  );
}
