import { Table, Text, type MantineSpacing } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';
import classes from './DataTable.module.css';
import { useElementWidth } from './useElementWidth';

export interface DataTableColumn<T> {
  id: string;
  header: ReactNode;
  /** The label on a card; defaults to `header` when that is text. */
  label?: string;
  cell: (row: T, index: number) => ReactNode;
  /** Width in the table, e.g. `'30%'` or `120` (px). */
  width?: number | string;
  /** The row's name: a row header in the table and the heading of its card. Give one column this. */
  primary?: boolean;
  /**
   * Where the column goes on a card: `field` (label and value, the default), `aside` (beside
   * the heading, for a status badge or actions), `below` (under the heading without a label,
   * for a description) or `hidden`.
   */
  card?: 'field' | 'aside' | 'below' | 'hidden';
  /** Keep the cell on one line in the table. */
  nowrap?: boolean;
}

export interface DataTableProps<T> {
  /** Names the table (or the list of cards) for assistive technology. */
  label: string;
  rows: readonly T[];
  /** Falsy entries are left out, so a column can be conditional: `showKind && kindColumn`. */
  columns: ReadonlyArray<DataTableColumn<T> | false | null | undefined>;
  rowKey: (row: T, index: number) => string;
  /** Below this width (px) of the space the table has, rows are shown as cards. Default 640. */
  minTableWidth?: number;
  /** `auto` (the default) picks by the available width. */
  mode?: 'auto' | 'table' | 'cards';
  /** Content under a row (e.g. its errors, once expanded): a full-width row, or the card's foot. */
  rowDetail?: (row: T, index: number) => ReactNode;
  /** Data attributes for a row or card, e.g. `{ 'data-plugin-id': plugin.id }`. */
  rowAttributes?: (row: T) => Record<`data-${string}`, string | undefined>;
  verticalSpacing?: MantineSpacing;
  highlightOnHover?: boolean;
}

const isEmpty = (node: ReactNode) => node === null || node === undefined || node === false || node === '';

/** An empty table cell: a dash, read out as "none". Cards leave empty fields out instead. */
function EmptyCell() {
  return (
    <Text span c="dimmed" size="sm" aria-label="none">
      –
    </Text>
  );
}

/**
 * A table on wide screens and a list of cards on narrow ones (a phone, or a narrow column):
 * the same columns either way, so a page declares its table once and works at any width.
 * The choice follows the width the table is given, not the window's.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const minTableWidth = props.minTableWidth ?? 640;
  const mode = props.mode && props.mode !== 'auto' ? props.mode : width === undefined ? undefined : width < minTableWidth ? 'cards' : 'table';
  const columns = props.columns.filter((c): c is DataTableColumn<T> => Boolean(c));
  return (
    <div ref={ref} className={classes.frame} data-mode={mode}>
      {mode === 'table' && <TableView {...props} columns={columns} />}
      {mode === 'cards' && <CardsView {...props} columns={columns} />}
    </div>
  );
}

type ViewProps<T> = Omit<DataTableProps<T>, 'columns'> & { columns: DataTableColumn<T>[] };

function TableView<T>(props: ViewProps<T>) {
  const { columns } = props;
  const layoutFixed = columns.some((c) => c.width !== undefined);
  return (
    <Table
      aria-label={props.label}
      className={classes.table}
      verticalSpacing={props.verticalSpacing ?? 'xs'}
      highlightOnHover={props.highlightOnHover}
      layout={layoutFixed ? 'fixed' : 'auto'}
    >
      <Table.Thead>
        <Table.Tr>
          {columns.map((column) => (
            <Table.Th key={column.id} scope="col" w={column.width}>
              {column.header}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {props.rows.map((row, index) => {
          const detail = props.rowDetail?.(row, index);
          return (
            <Fragment key={props.rowKey(row, index)}>
              <Table.Tr {...props.rowAttributes?.(row)}>
                {columns.map((column) => {
                  const className = column.nowrap ? classes.nowrap : undefined;
                  const content = column.cell(row, index);
                  return column.primary ? (
                    <Table.Th key={column.id} scope="row" fw="normal" className={className}>
                      {content}
                    </Table.Th>
                  ) : (
                    <Table.Td key={column.id} className={className}>
                      {isEmpty(content) ? <EmptyCell /> : content}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
              {!isEmpty(detail) && (
                <Table.Tr>
                  <Table.Td colSpan={columns.length}>{detail}</Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function CardsView<T>(props: ViewProps<T>) {
  const primary = props.columns.find((c) => c.primary) ?? props.columns[0];
  const aside = props.columns.filter((c) => c !== primary && c.card === 'aside');
  const below = props.columns.filter((c) => c !== primary && c.card === 'below');
  const fields = props.columns.filter((c) => c !== primary && (c.card ?? 'field') === 'field');
  return (
    <ul className={classes.cards} aria-label={props.label}>
      {props.rows.map((row, index) => {
        const detail = props.rowDetail?.(row, index);
        const asideCells = aside.map((c) => [c, c.cell(row, index)] as const).filter(([, node]) => !isEmpty(node));
        const fieldCells = fields.map((c) => [c, c.cell(row, index)] as const).filter(([, node]) => !isEmpty(node));
        const belowCells = below.map((c) => [c, c.cell(row, index)] as const).filter(([, node]) => !isEmpty(node));
        return (
          <li key={props.rowKey(row, index)} className={classes.card} {...props.rowAttributes?.(row)}>
            <div className={classes.cardHead}>
              <div className={classes.cardTitle}>{primary ? primary.cell(row, index) : null}</div>
              {asideCells.length > 0 && (
                <div className={classes.cardAside}>
                  {asideCells.map(([column, node]) => (
                    <Fragment key={column.id}>{node}</Fragment>
                  ))}
                </div>
              )}
            </div>
            {belowCells.map(([column, node]) => (
              <div key={column.id} className={classes.below}>
                {node}
              </div>
            ))}
            {fieldCells.length > 0 && (
              <dl className={classes.fields}>
                {fieldCells.map(([column, node]) => (
                  <Fragment key={column.id}>
                    <dt>{column.label ?? (typeof column.header === 'string' ? column.header : column.id)}</dt>
                    <dd>{node}</dd>
                  </Fragment>
                ))}
              </dl>
            )}
            {!isEmpty(detail) && <div className={classes.detail}>{detail}</div>}
          </li>
        );
      })}
    </ul>
  );
}
