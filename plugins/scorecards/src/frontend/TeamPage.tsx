import { EmptyState, EntityRefLink, PageLayout, QueryBoundary, SectionCard } from '@atrium/ui';
import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { useFixNext, useNotifications, useScorecards } from './api';
import { LevelBadge } from './LevelBadge';

/** /scorecards/teams/:owner — a team's failing rules ordered by what to fix next, its entities and notifications. */
export default function TeamPage() {
  const owner = decodeURIComponent(useParams()['owner'] ?? '');
  const fix = useFixNext(owner);
  const scorecards = useScorecards();
  const notifications = useNotifications(owner);
  const defs = new Map((scorecards.data?.items ?? []).map((s) => [s.id, s]));
  return (
    <PageLayout title={`Scorecards for ${owner.replace(/^group:default\//, '')}`} subtitle={<EntityRefLink entityRef={owner} defaultKind="group" />}>
      <QueryBoundary query={fix} loadingLabel="Loading team results…" errorTitle="Could not load team results">
        {(d) => (
          <Stack gap="lg">
            <SectionCard title="Fix next" description="Failing rules over the team's entities: lowest level first, then by points at stake.">
              {d.items.length === 0 ? (
                <EmptyState compact title="Nothing to fix" description="Every rule passes for this team's entities." />
              ) : (
                <Table aria-label="Fix next">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>#</Table.Th>
                      <Table.Th>Rule</Table.Th>
                      <Table.Th>Level</Table.Th>
                      <Table.Th>Points at stake</Table.Th>
                      <Table.Th>Entities</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.items.map((item, i) => {
                      const def = defs.get(item.scorecardId);
                      return (
                        <Table.Tr key={`${item.scorecardId}/${item.ruleId}`}>
                          <Table.Td>{i + 1}</Table.Td>
                          <Table.Td>
                            <Text size="sm" fw={500}>
                              {item.title}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {def?.title ?? item.scorecardId} — {item.failureMessage}
                            </Text>
                          </Table.Td>
                          <Table.Td>{def ? <LevelBadge scorecard={def} level={item.level} /> : item.level}</Table.Td>
                          <Table.Td>{item.pointsAtStake}</Table.Td>
                          <Table.Td>
                            <Group gap={6}>
                              {item.entityRefs.slice(0, 8).map((ref) => (
                                <EntityRefLink key={ref} entityRef={ref} size="sm" />
                              ))}
                              {item.entityRefs.length > 8 && <Text size="sm">+{item.entityRefs.length - 8} more</Text>}
                            </Group>
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              )}
            </SectionCard>
            <SectionCard title="Entities">
              <Table>
                <Table.Tbody>
                  {d.results.map((r) => {
                    const def = defs.get(r.scorecardId);
                    return (
                      <Table.Tr key={`${r.entityRef}/${r.scorecardId}`}>
                        <Table.Td>
                          <EntityRefLink entityRef={r.entityRef} size="sm" />
                        </Table.Td>
                        <Table.Td>{def?.title ?? r.scorecardId}</Table.Td>
                        <Table.Td>{def ? <LevelBadge scorecard={def} level={r.level} /> : r.level}</Table.Td>
                        <Table.Td>
                          {r.points}/{r.maxPoints}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </SectionCard>
            <SectionCard title="Notifications" description="Level drops and initiative deadlines for this team.">
              <QueryBoundary query={notifications} compact isEmpty={(n) => n.items.length === 0} empty={<Text size="sm" c="dimmed">No notifications.</Text>}>
                {(n) => (
                  <Stack gap={6}>
                    {n.items.map((x) => (
                      <Group key={x.id} gap="xs" wrap="nowrap" align="flex-start">
                        <Badge variant="light" color={x.kind === 'deadline' ? 'orange' : 'red'}>
                          {x.kind}
                        </Badge>
                        <div>
                          <Text size="sm" fw={x.readAt ? 400 : 600}>
                            {x.title}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {x.message}
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
