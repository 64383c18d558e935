import { stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import { EntityRefLink, SectionCard } from '@atrium/ui';
import { Anchor, Breadcrumbs, Stack, Text } from '@mantine/core';
import { useEntitiesByRefs } from '../api/queries';
import { entityDisplayName, relationTargets } from '../components/entityDisplay';
import { FactList, NoValue } from '../components/FactList';
import { profileOf } from './profile';
import { useGroupAncestors } from './useOrgQueries';

/** A group's contact details and where it sits in the organisation: its parents and its sub-groups. */
export function GroupProfileCard(props: { group: Entity }) {
  const { group } = props;
  const profile = profileOf(group);
  const ancestors = useGroupAncestors(group);
  const childRefs = relationTargets(group, 'parentOf');
  const children = useEntitiesByRefs(childRefs);
  const path = [...(ancestors.data ?? [])].reverse();

  return (
    <SectionCard title="Group">
      <Stack gap="md">
        <FactList
          facts={[
            { label: 'Display name', value: profile.displayName ?? <NoValue /> },
            {
              label: 'Email',
              value: profile.email ? (
                <Anchor href={`mailto:${profile.email}`} size="sm">
                  {profile.email}
                </Anchor>
              ) : (
                <NoValue />
              ),
            },
            {
              label: 'Hierarchy',
              wide: true,
              value:
                ancestors.isPending && relationTargets(group, 'childOf').length > 0 ? (
                  <Text size="sm" c="dimmed">
                    Loading…
                  </Text>
                ) : (
                  <Breadcrumbs separatorMargin={4} component="nav" aria-label="Parent groups">
                    {path.map(({ ref, entity }) => (
                      <EntityRefLink key={ref} entityRef={ref} defaultKind="group" title={entity ? entityDisplayName(entity) : undefined} size="sm" />
                    ))}
                    <Text size="sm" fw={600}>
                      {entityDisplayName(group)}
                    </Text>
                  </Breadcrumbs>
                ),
            },
            {
              label: `Sub-groups (${childRefs.length})`,
              wide: true,
              value:
                childRefs.length === 0 ? (
                  <NoValue>No sub-groups</NoValue>
                ) : (
                  <Stack gap={2} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Sub-groups">
                    {childRefs.map((ref) => {
                      const child = children.data?.get(ref.toLowerCase());
                      return (
                        <li key={ref}>
                          <EntityRefLink entityRef={ref} defaultKind="group" title={child ? entityDisplayName(child) : undefined} size="sm" />
                        </li>
                      );
                    })}
                  </Stack>
                ),
            },
          ]}
        />
        <Text size="xs" c="dimmed" ff="monospace">
          {stringifyEntityRef(group)}
        </Text>
      </Stack>
    </SectionCard>
  );
}
