import type { Entity } from '@atrium/catalog-model';
import { EntityRefLink, QueryBoundary, SectionCard } from '@atrium/ui';
import { Anchor, Avatar, Badge, Button, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useEntitiesByRefs } from '../api/queries';
import { entityDisplayName, relationTargets } from '../components/entityDisplay';
import { initialsOf, profileOf } from './profile';

const INITIAL_MEMBERS = 24;

/** A group's direct members with their names and e-mail addresses. */
export function MembersCard(props: { group: Entity }) {
  const refs = relationTargets(props.group, 'hasMember');
  const members = useEntitiesByRefs(refs);
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? refs : refs.slice(0, INITIAL_MEMBERS);
  return (
    <SectionCard
      title="Members"
      actions={
        <Badge variant="default" radius="sm" aria-label={`${refs.length} members`}>
          {refs.length}
        </Badge>
      }
    >
      {refs.length === 0 ? (
        <Text size="sm" c="dimmed">
          This group has no direct members. Add users to spec.members, or set spec.memberOf on users.
        </Text>
      ) : (
        <QueryBoundary query={members} compact loadingLabel="Loading members…">
          {(map) => (
            <Stack gap="xs">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Members">
                {shown.map((ref) => {
                  const member = map.get(ref.toLowerCase()) ?? null;
                  const profile = profileOf(member);
                  const name = member ? entityDisplayName(member) : ref;
                  return (
                    <Group key={ref} component="li" gap="sm" wrap="nowrap">
                      <Avatar src={profile.picture} alt="" radius="xl" color="indigo">
                        {initialsOf(name)}
                      </Avatar>
                      <div style={{ minWidth: 0 }}>
                        <EntityRefLink entityRef={ref} defaultKind="user" title={name} size="sm" fw={600} />
                        {profile.email && (
                          <Text size="xs" truncate="end">
                            <Anchor href={`mailto:${profile.email}`} size="xs" c="dimmed">
                              {profile.email}
                            </Anchor>
                          </Text>
                        )}
                        {!member && (
                          <Text size="xs" c="orange">
                            not in catalog or not visible
                          </Text>
                        )}
                      </div>
                    </Group>
                  );
                })}
              </SimpleGrid>
              {shown.length < refs.length && (
                <Button variant="subtle" size="xs" onClick={() => setShowAll(true)} style={{ alignSelf: 'flex-start' }}>
                  Show all {refs.length} members
                </Button>
              )}
            </Stack>
          )}
        </QueryBoundary>
      )}
    </SectionCard>
  );
}
