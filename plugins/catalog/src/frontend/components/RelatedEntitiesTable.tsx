import { parseEntityRef, type Entity } from '@atrium/catalog-model';
import { EntityRefLink, humanizeEntityRef } from '@atrium/ui';
import { Badge, Group, Table, Text, Tooltip } from '@mantine/core';
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
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table verticalSpacing={6} aria-label={props.label} layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="34%">Name</Table.Th>
            {showKind && <Table.Th w="14%">Kind</Table.Th>}
            <Table.Th w="14%">Type</Table.Th>
            <Table.Th>Description</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.refs.map((ref) => {
            const entity = props.entities?.get(ref.toLowerCase());
            const missing = entity === null;
            const lifecycle = entity ? specString(entity, 'lifecycle') : undefined;
            return (
              <Table.Tr key={ref}>
                <Table.Th scope="row" fw="normal">
                  {missing ? (
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" c="dimmed" truncate="end">
                        {humanizeEntityRef(ref)}
                      </Text>
                      <Tooltip label="The catalog has no entity with this reference. Check the spelling in the descriptor, or register it.">
                        <Badge color="orange" variant="light" size="xs" leftSection={<IconAlertTriangle size={10} aria-hidden />} tt="none" tabIndex={0}>
                          not in catalog
                        </Badge>
                      </Tooltip>
                    </Group>
                  ) : (
                    <Group gap={6} wrap="nowrap">
                      <KindIcon kind={kindOfRef(ref)} />
                      <EntityRefLink entityRef={ref} title={entity ? entityDisplayName(entity) : undefined} size="sm" fw={600} />
                      {lifecycle && lifecycle !== 'production' && <LifecycleBadge lifecycle={lifecycle} size="xs" />}
                    </Group>
                  )}
                </Table.Th>
                {showKind && <Table.Td fz="sm">{entity?.kind ?? kindOfRef(ref)}</Table.Td>}
                <Table.Td fz="sm">{entity ? (entityType(entity) ?? '–') : '–'}</Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed" lineClamp={2}>
                    {entity?.metadata.description ?? ''}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
