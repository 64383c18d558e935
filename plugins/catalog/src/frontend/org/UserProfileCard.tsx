import type { Entity } from '@atrium/catalog-model';
import { EntityRefLink, SectionCard } from '@atrium/ui';
import { Anchor, Avatar, Group, Stack, Text } from '@mantine/core';
import { useEntitiesByRefs } from '../api/queries';
import { entityDisplayName, relationTargets } from '../components/entityDisplay';
import { NoValue } from '../components/FactList';
import { initialsOf, profileOf } from './profile';

/** A person: picture, name, e-mail and the groups they belong to. */
export function UserProfileCard(props: { user: Entity }) {
  const { user } = props;
  const profile = profileOf(user);
  const name = entityDisplayName(user);
  const groupRefs = relationTargets(user, 'memberOf');
  const groups = useEntitiesByRefs(groupRefs);
  return (
    <SectionCard title="Profile">
      <Stack gap="md">
        <Group gap="md" wrap="nowrap">
          <Avatar src={profile.picture} alt="" size="lg" radius="xl" color="indigo">
            {initialsOf(name)}
          </Avatar>
          <div>
            <Text fw={700}>{name}</Text>
            {profile.email ? (
              <Anchor href={`mailto:${profile.email}`} size="sm">
                {profile.email}
              </Anchor>
            ) : (
              <NoValue>No e-mail address</NoValue>
            )}
          </div>
        </Group>
        <div>
          <Text size="xs" tt="uppercase" fw={700} c="dimmed" id="member-of-label">
            Member of ({groupRefs.length})
          </Text>
          {groupRefs.length === 0 ? (
            <NoValue>Not a member of any group</NoValue>
          ) : (
            <Stack gap={2} component="ul" mt={4} style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-labelledby="member-of-label">
              {groupRefs.map((ref) => {
                const group = groups.data?.get(ref.toLowerCase());
                return (
                  <li key={ref}>
                    <EntityRefLink entityRef={ref} defaultKind="group" title={group ? entityDisplayName(group) : undefined} size="sm" />
                  </li>
                );
              })}
            </Stack>
          )}
        </div>
      </Stack>
    </SectionCard>
  );
}
