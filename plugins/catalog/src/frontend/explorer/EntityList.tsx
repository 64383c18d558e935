import { useElementWidth, useEntityTitles } from '@atrium/ui';
import { useMemo } from 'react';
import { cellRefKeys } from './ColumnCell';
import { EntityCards } from './EntityCards';
import { EntityTable, type EntityTableProps } from './EntityTable';

/** Below this width the explorer's columns no longer fit side by side: rows become cards. */
export const CARDS_BELOW_PX = 640;

/**
 * The explorer's results: a virtualized table where there is room, cards where there is not
 * (phones, narrow windows). Referenced entities (owners, systems…) are named by their titles,
 * looked up once per page of rows.
 */
export function EntityList(props: Omit<EntityTableProps, 'refTitles'>) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const { rows, columns } = props;
  const refKeys = useMemo(() => {
    const keys = new Set<string>();
    for (const entity of rows) for (const column of columns) for (const key of cellRefKeys(column.value(entity))) keys.add(key);
    return [...keys];
  }, [rows, columns]);
  const refTitles = useEntityTitles(refKeys);
  return (
    <div ref={ref} data-layout={width === undefined ? undefined : width < CARDS_BELOW_PX ? 'cards' : 'table'}>
      {width !== undefined && (width < CARDS_BELOW_PX ? <EntityCards {...props} refTitles={refTitles} /> : <EntityTable {...props} refTitles={refTitles} />)}
    </div>
  );
}
