import { parseEntityRef, type Entity } from '@atrium/catalog-model';
import { DataTable, EntityRefLink, humanizeEntityRef, type DataTableColumn } from '@atrium/ui';
import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { LifecycleBadge } from './EntityBadges';
import { entityDisplayName, entityType, specString } from './entityDisplay';
import { KindIcon } from './KindIcon';

const kindOfRef = (ref: string) => {
  try {
    return parseEntityRef(ref).kind;
  } catch {
    return 'unknown';
  }
};

/**
 * Related entities as a table: name, kind, type, lifecycle, description. A ref the catalog
 * does not know is shown as text with a "not in catalog" badge instead of a dead link.
 */
export function RelatedEntitiesTable(props: {
  refs: readonly string[];
  entities: ReadonlyMap<string, Entity | null> | undefined;
  label: string;
  /** Hide the kind column when every row has the same kind. */
  showKind?: boolean;
}) {
  const showKind = props.showKind ?? new Set(props.refs.map((r) => kindOfRef(r).toLowerCase())).size > 1;
  const entityOf = (ref: string) => props.entities?.get(ref.toLowerCase());
  const columns: Array<DataTableColumn<string> | false> = [
    { id: 'name', header: 'Name', primary: true, width: '34%', cell: (ref) => <NameCell entityRef={ref} entity={entityOf(ref)} /> },
    showKind && { id: 'kind', header: 'Kind', width: '14%', cell: (ref) => <Text size="sm">{entityOf(ref)?.kind ?? kindOfRef(ref)}</Text> },
    {
      id: 'type',
      header: 'Type',
      width: '14%',
      cell: (ref) => {
        const entity = entityOf(ref);
        const type = entity ? entityType(entity) : undefined;
        return type ? <Text size="sm">{type}</Text> : null;
      },
    },
    {
      id: 'description',
      header: 'Description',
      card: 'below',
      cell: (ref) => {
        const description = entityOf(ref)?.metadata.description;
        return description ? (
          <Text size="sm" c="dimmed" lineClamp={2}>
            {description}
          </Text>
        ) : null;
      },
    },
  ];
  return <DataTable label={props.label} rows={props.refs} columns={columns} rowKey={(ref) => ref} verticalSpacing={6} minTableWidth={520} />;
}

function NameCell(props: { entityRef: string; entity: Entity | null | undefined }) {
  const { entityRef: ref, entity } = props;
  if (entity === null) {
    return (
      <Group gap={6} wrap="wrap">
        <Text size="sm" c="dimmed">
          {humanizeEntityRef(ref)}
        </Text>
        <Tooltip label="The catalog has no entity with this reference. Check the spelling in the descriptor, or register it.">
          <Badge color="orange" variant="light" size="xs" leftSection={<IconAlertTriangle size={10} aria-hidden />} tt="none" tabIndex={0}>
            not in catalog or not visible
          </Badge>
        </Tooltip>
      </Group>
    );
  }
  const lifecycle = entity ? specString(entity, 'lifecycle') : undefined;
  return (
    <Group gap={6} wrap="nowrap" align="flex-start">
      <KindIcon kind={kindOfRef(ref)} />
      <Group gap={6} wrap="wrap">
        <EntityRefLink entityRef={ref} title={entity ? entityDisplayName(entity) : undefined} size="sm" fw={600} />
        {lifecycle && lifecycle !== 'production' && <LifecycleBadge lifecycle={lifecycle} size="xs" />}
      </Group>
    </Group>
  );
}
