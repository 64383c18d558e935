import { canonicalRefKey, DataTable, EmptyState, EntityRefLink, humanizeEntityRef, PageLayout, QueryBoundary, SectionCard, useEntityTitle } from '@atrium/ui';
import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { SCORECARD_NOTIFICATION_TOPICS } from '../common';
import { useFixNext, useNotifications, useScorecards } from './api';
import { LevelBadge } from './LevelBadge';
import { rulePath, scorecardPath } from './paths';

/** /scorecards/teams/:owner — a team's failing rules ordered by what to fix next, its entities and notifications. */
export default function TeamPage() {
  const owner = useParams()['owner'] ?? '';
  const fix = useFixNext(owner);
  const scorecards = useScorecards();
  const notifications = useNotifications(owner);
  const defs = new Map((scorecards.data?.items ?? []).map((s) => [s.id, s]));
  const name = useEntityTitle(canonicalRefKey(owner, { defaultKind: 'group' })) ?? humanizeEntityRef(owner, { defaultKind: 'group' });
  return (
    <PageLayout title={`Scorecards for ${name}`} subtitle={<EntityRefLink entityRef={owner} defaultKind="group" />}>
      <QueryBoundary query={fix} loadingLabel="Loading team results…" errorTitle="Could not load team results">
        {(d) => (
          <Stack gap="lg">
            <SectionCard title="Fix next" description="Failing rules over the team's entities: lowest level first, then by points at stake.">
              {d.items.length === 0 ? (
                <EmptyState compact title="Nothing to fix" description="Every rule passes for this team's entities." />
              ) : (
                <DataTable
                  label="Fix next"
                  rows={d.items.map((item, i) => ({ ...item, rank: i + 1 }))}
                  rowKey={(item) => `${item.scorecardId}/${item.ruleId}`}
                  columns={[
                    {
                      id: 'rule',
                      primary: true,
                      header: 'Rule',
                      cell: (item) => (
                        <div>
                          <Text size="sm" fw={500}>
                            {item.rank}.{' '}
                            <Anchor component={Link} to={rulePath(item.scorecardId, item.ruleId)} inherit>
                              {item.title}
                            </Anchor>
                          </Text>
                          <Text size="xs" c="dimmed">
                            {defs.get(item.scorecardId)?.title ?? item.scorecardId}
                            {item.failureMessage ? ` — ${item.failureMessage}` : ''}
                          </Text>
                        </div>
                      ),
                    },
                    {
                      id: 'level',
                      header: 'Level',
                      cell: (item) => (defs.get(item.scorecardId) ? <LevelBadge scorecard={defs.get(item.scorecardId)!} level={item.level} /> : item.level),
                    },
                    { id: 'points-at-stake', header: 'Points at stake', cell: (item) => item.pointsAtStake },
                    {
                      id: 'entities',
                      header: 'Entities',
                      cell: (item) => (
                        <Group gap={6} justify="flex-start">
                          {item.entityRefs.slice(0, 8).map((ref) => (
                            <EntityRefLink key={ref} entityRef={ref} size="sm" />
                          ))}
                          {item.entityRefs.length > 8 && <Text size="sm">+{item.entityRefs.length - 8} more</Text>}
                        </Group>
                      ),
                    },
                  ]}
                />
              )}
            </SectionCard>
            <SectionCard title="Entities">
              <DataTable
                label="Team entities"
                rows={d.results}
                rowKey={(r) => `${r.entityRef}/${r.scorecardId}`}
                columns={[
                  { id: 'entity', primary: true, header: 'Entity', cell: (r) => <EntityRefLink entityRef={r.entityRef} size="sm" /> },
                  {
                    id: 'scorecard',
                    header: 'Scorecard',
                    cell: (r) => (
                      <Anchor component={Link} to={scorecardPath(r.scorecardId)} size="sm">
                        {defs.get(r.scorecardId)?.title ?? r.scorecardId}
                      </Anchor>
                    ),
                  },
                  {
                    id: 'level',
                    header: 'Level',
                    cell: (r) => (defs.get(r.scorecardId) ? <LevelBadge scorecard={defs.get(r.scorecardId)!} level={r.level} /> : r.level),
                  },
                  { id: 'points', header: 'Points', cell: (r) => `${r.points}/${r.maxPoints}` },
                ]}
              />
            </SectionCard>
            <SectionCard title="Notifications" description="Level drops and initiative deadlines for this team.">
              <QueryBoundary
                query={notifications}
                compact
                isEmpty={(n) => n.items.length === 0}
                empty={
                  <Text size="sm" c="dimmed">
                    No notifications.
                  </Text>
                }
              >
                {(n) => (
                  <Stack gap={6}>
                    {n.items.map((x) => (
                      <Group key={x.id} gap="xs" wrap="nowrap" align="flex-start">
                        <Badge variant="light" color={x.topic === SCORECARD_NOTIFICATION_TOPICS.deadline ? 'orange' : 'red'} miw="max-content">
                          {x.topic === SCORECARD_NOTIFICATION_TOPICS.deadline ? 'Deadline' : 'Level drop'}
                        </Badge>
                        <div style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                          <Text size="sm" fw={x.readAt ? 400 : 600}>
                            {x.title}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {x.description}
                          </Text>
                        </div>
                      </Group>
                    ))}
                  </Stack>
                )}
              </QueryBoundary>
            </SectionCard>
          </Stack>
        )}
      </QueryBoundary>
    </PageLayout>
  );
}
