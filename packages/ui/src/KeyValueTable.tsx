import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

export interface KeyValueItem {
  label: string;
  value: ReactNode;
}

/** A two-column table of labelled values, e.g. the facts about a running server. */
export function KeyValueTable(props: { items: readonly KeyValueItem[]; 'aria-label'?: string }) {
  return (
    <Table aria-label={props['aria-label']} verticalSpacing={6} layout="fixed">
      <Table.Tbody>
        {props.items.map((item) => (
          <Table.Tr key={item.label}>
            <Table.Th scope="row" w="35%" c="dimmed" fw={500}>
              {item.label}
            </Table.Th>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{item.value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
