import { stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import { DataTable, type DataTableColumn } from '@atrium/ui';
import { Group, Text } from '@mantine/core';
import { entityDisplayName, entityType } from '../components/entityDisplay';
import { KindIcon } from '../components/KindIcon';

const COLUMNS: Array<DataTableColumn<Entity>> = [
  {
    id: 'name',
    header: 'Name',
    primary: true,
    cell: (entity) => (
      <Text size="sm" fw={600}>
        {entityDisplayName(entity)}
      </Text>
    ),
  },
  {
    id: 'kind',
    header: 'Kind',
    nowrap: true,
    cell: (entity) => (
      <Group gap={4} wrap="nowrap">
        <KindIcon kind={entity.kind} />
        <Text size="sm">{entity.kind}</Text>
      </Group>
    ),
  },
  { id: 'type', header: 'Type', cell: (entity) => (entityType(entity) ? <Text size="sm">{entityType(entity)}</Text> : null) },
  {
    id: 'ref',
    header: 'Reference',
    cell: (entity) => (
      <Text size="xs" ff="monospace">
        {stringifyEntityRef(entity)}
      </Text>
    ),
  },
];

/** The entities a location would provide, before they are imported. */
export function PreviewTable(props: { entities: readonly Entity[] }) {
  return (
    <DataTable
      label="Entities found"
      rows={props.entities}
      columns={COLUMNS}
      rowKey={(entity) => stringifyEntityRef(entity)}
      verticalSpacing={6}
      minTableWidth={560}
    />
  );
}
