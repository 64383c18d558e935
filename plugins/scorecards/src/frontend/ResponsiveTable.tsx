import { Box, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useWide } from './useWide';

export interface Column<T> {
  header: string;
  render: (row: T) => ReactNode;
  /** Column width in the table. */
  width?: number | string;
}

/**
 * Rows as a table on wide screens and as a list of cards on phones (the first column is the
 * card's heading, the others labelled values that wrap), so no page needs sideways scrolling.
 */
export function ResponsiveTable<T>(props: { label: string; rows: readonly T[]; columns: Array<Column<T>>; rowKey: (row: T) => string; striped?: boolean; withHeader?: boolean }) {
  const wide = useWide();
  const [first, ...rest] = props.columns;
  if (wide) {
    return (
      <Table striped={props.striped} aria-label={props.label} verticalSpacing="xs">
        {props.withHeader !== false && (
          <Table.Thead>
            <Table.Tr>
              {props.columns.map((c) => (
                <Table.Th key={c.header} w={c.width}>
                  {c.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
        )}
        <Table.Tbody>
          {props.rows.map((row) => (
            <Table.Tr key={props.rowKey(row)}>
              {props.columns.map((c) => (
                <Table.Td key={c.header} w={c.width}>
                  {c.render(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    );
  }
  return (
    <Stack gap="xs" role="list" aria-label={props.label}>
      {props.rows.map((row) => (
        <Paper key={props.rowKey(row)} withBorder radius="sm" p="sm" role="listitem">
          <Stack gap={6}>
            {first && <Box style={{ overflowWrap: 'anywhere' }}>{first.render(row)}</Box>}
            <Group gap="xs" align="center" wrap="wrap" style={{ rowGap: 6 }}>
              {rest.map((c) => (
                <Group key={c.header} gap={6} align="center" wrap="nowrap" style={{ minWidth: 0, maxWidth: '100%' }}>
                  <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                    {c.header}
                  </Text>
                  <Box style={{ minWidth: 0, overflowWrap: 'anywhere' }} fz="sm">
                    {c.render(row)}
                  </Box>
                </Group>
              ))}
            </Group>
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
