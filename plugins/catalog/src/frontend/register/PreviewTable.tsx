import { stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import { Table, Text } from '@mantine/core';
import { entityDisplayName, entityType } from '../components/entityDisplay';
import { KindIcon } from '../components/KindIcon';

/** The entities a location would provide, before they are imported. */
export function PreviewTable(props: { entities: readonly Entity[] }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing={6} aria-label="Entities found" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Reference</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.entities.map((entity) => (
            <Table.Tr key={stringifyEntityRef(entity)}>
              <Table.Td fz="sm">
                <KindIcon kind={entity.kind} /> {entity.kind}
              </Table.Td>
              <Table.Td fz="sm" fw={600}>
                {entityDisplayName(entity)}
              </Table.Td>
              <Table.Td fz="sm">{entityType(entity) ?? '–'}</Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace">
                  {stringifyEntityRef(entity)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
