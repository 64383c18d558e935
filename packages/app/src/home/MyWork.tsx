import { isSignedIn, useCurrentUser, type CurrentUser } from '@atrium/frontend-plugin-api';
import { EmptyState, EntityRefLink, QueryBoundary, RelativeTime, SectionCard, StatusBadge } from '@atrium/ui';
import { Anchor, Grid, Group, Stack, Text } from '@mantine/core';
import { IconBox, IconPlayerPlay, IconUsersGroup } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { fetchMyComponents, fetchMyRunningTasks, ownedComponentsExplorerPath, taskTitle } from './myWorkApi';

/** "My components", "My teams", "My running tasks": on the home page for a signed-in person. */
export function MyWork() {
  const me = useCurrentUser();
  if (!isSignedIn(me.data)) return null;
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 6, lg: 4 }}>
        <MyComponents user={me.data} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6, lg: 4 }}>
        <MyTeams user={me.data} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 12, lg: 4 }}>
        <MyRunningTasks />
      </Grid.Col>
    </Grid>
  );
}

function MyComponents(props: { user: CurrentUser }) {
  const refs = props.user.ownershipEntityRefs;
  const components = useQuery({ queryKey: ['atrium', 'home', 'my-components', refs], queryFn: ({ signal }) => fetchMyComponents(refs, signal) });
  const total = components.data?.totalItems;
  const seeAll = (
    <Anchor component={Link} to={ownedComponentsExplorerPath(refs)} size="sm">
      {total !== undefined && total > (components.data?.items.length ?? 0) ? `All ${total}` : 'In the catalog'}
    </Anchor>
  );
  return (
    <SectionCard title="My components" description="Owned by you or your teams." actions={seeAll}>
      <QueryBoundary
        query={components}
        compact
        loadingLabel="Loading your components…"
        errorTitle="Could not load your components"
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState
            compact
            icon={<IconBox aria-hidden />}
            title="Nothing owned yet"
            description="Components whose spec.owner is you or one of your teams show here."
          />
        }
      >
        {(data) => (
          <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {data.items.map((e) => (
              <Group key={`${e.metadata.namespace ?? 'default'}/${e.metadata.name}`} component="li" justify="space-between" wrap="nowrap" gap="xs">
                <EntityRefLink
                  entityRef={`component:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`}
                  defaultKind="component"
                  title={e.metadata.title ?? e.metadata.name}
                />
                {e.spec?.type && (
                  <Text size="xs" c="dimmed">
                    {e.spec.type}
                  </Text>
                )}
              </Group>
            ))}
          </Stack>
        )}
      </QueryBoundary>
    </SectionCard>
  );
}

function MyTeams(props: { user: CurrentUser }) {
  const groups = props.user.ownershipEntityRefs.filter((ref) => ref.toLowerCase().startsWith('group:'));
  return (
    <SectionCard title="My teams" description="Groups you belong to, and their parents.">
      {groups.length === 0 ? (
        <EmptyState compact icon={<IconUsersGroup aria-hidden />} title="No teams" description="Your catalog User entity lists its groups in spec.memberOf." />
      ) : (
        <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {groups.map((ref) => (
            <li key={ref}>
              <EntityRefLink entityRef={ref} defaultKind="group" />
            </li>
          ))}
        </Stack>
      )}
    </SectionCard>
  );
}

function MyRunningTasks() {
  const tasks = useQuery({ queryKey: ['atrium', 'home', 'my-running-tasks'], queryFn: ({ signal }) => fetchMyRunningTasks(signal), refetchInterval: 15_000 });
  return (
    <SectionCard
      title="My running tasks"
      description="Templates you started that have not finished."
      actions={
        <Anchor component={Link} to="/create/tasks" size="sm">
          All tasks
        </Anchor>
      }
    >
      <QueryBoundary
        query={tasks}
        compact
        loadingLabel="Loading your tasks…"
        errorTitle="Could not load your tasks"
        isEmpty={(data) => data.tasks.length === 0}
        empty={
          <EmptyState
            compact
            icon={<IconPlayerPlay aria-hidden />}
            title="Nothing running"
            description="Tasks you start from a template show here until they finish."
          />
        }
      >
        {(data) => (
          <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {data.tasks.map((task) => (
              <Group key={task.id} component="li" justify="space-between" wrap="nowrap" gap="xs">
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Anchor component={Link} to={`/create/tasks/${encodeURIComponent(task.id)}`} size="sm" truncate>
                    {taskTitle(task)}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    started <RelativeTime value={task.createdAt} />
                  </Text>
                </Stack>
                <StatusBadge status={task.status} />
              </Group>
            ))}
          </Stack>
        )}
      </QueryBoundary>
    </SectionCard>
  );
}
