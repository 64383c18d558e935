import { EmptyState, EntityRefLink, PageLayout, QueryBoundary, SectionCard } from '@atrium/ui';
import { Badge, Group, Progress, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { useExemptions, useInitiative } from './api';
import { LineChart } from './charts';
import { LevelBadge, percent } from './LevelBadge';

/** /scorecards/initiatives/:id — burn-up, progress per team, failing entities with days left, exemptions. */
export default function InitiativePage() {
  const id = useParams()['id'] ?? '';
  const query = useInitiative(id);
  const exemptions = useExemptions();
  return (
    <QueryBoundary query={query} loadingLabel="Loading initiative…" errorTitle="Could not load the initiative">
      {(p) => (
        <PageLayout
          title={p.initiative.title}
          subtitle={
            <>
              {p.initiative.description} Target:{' '}
              {p.initiative.targetLevel ? <LevelBadge scorecard={p.scorecard} level={p.initiative.targetLevel} /> : `rules ${p.initiative.rules?.join(', ')}`} on{' '}
              {p.scorecard.title}.
            </>
          }
        >
          <Stack gap="lg">
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              <SectionCard title="Progress">
                <Text size="xl" fw={700}>
                  {p.passing}/{p.total} ({percent(p.passing, p.total)})
                </Text>
                <Progress value={p.total ? (p.passing / p.total) * 100 : 0} />
              </SectionCard>
              <SectionCard title="Deadline">
                <Text size="xl" fw={700}>
                  {p.initiative.deadline}
                </Text>
                <Badge color={p.daysLeft < 0 ? 'red' : p.daysLeft <= 14 ? 'orange' : 'gray'}>{p.daysLeft < 0 ? `${-p.daysLeft} days overdue` : `${p.daysLeft} days left`}</Badge>
              </SectionCard>
              <SectionCard title="Owner">
                <EntityRefLink entityRef={p.initiative.owner} defaultKind="group" />
                <Text size="sm" c="dimmed">
                  Started {p.initiative.startDate}
                </Text>
              </SectionCard>
            </SimpleGrid>
            <SectionCard title="Burn-up" description="Entities meeting the target per day, against the total in scope.">
              <LineChart
                label="Burn-up"
                series={[
                  { name: 'Meeting the target', color: '#40c057', points: p.burnUp.map((b) => ({ x: b.day, y: b.passing })) },
                  { name: 'In scope', color: '#868e96', points: p.burnUp.map((b) => ({ x: b.day, y: b.total })) },
                ]}
              />
            </SectionCard>
            <SectionCard title="Progress per team">
              <Table aria-label="Progress per team">
                <Table.Tbody>
                  {p.teams.map((t) => (
                    <Table.Tr key={t.owner}>
                      <Table.Td>{t.owner === 'none' ? 'No owner' : <EntityRefLink entityRef={t.owner} defaultKind="group" size="sm" />}</Table.Td>
                      <Table.Td w={240}>
                        <Group gap="xs" wrap="nowrap">
                          <Progress value={(t.passing / t.total) * 100} w={140} />
                          <Text size="sm">
                            {t.passing}/{t.total}
                          </Text>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </SectionCard>
            <SectionCard title="Failing entities">
              {p.failing.length === 0 ? (
                <EmptyState compact title="Everything meets the target" description="Nothing left to do for this initiative." />
              ) : (
                <Table aria-label="Failing entities">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Entity</Table.Th>
                      <Table.Th>Owner</Table.Th>
                      <Table.Th>Level</Table.Th>
                      <Table.Th>Failing rules</Table.Th>
                      <Table.Th>Days left</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {p.failing.map((f) => (
                      <Table.Tr key={f.entityRef}>
                        <Table.Td>
                          <EntityRefLink entityRef={f.entityRef} size="sm" />
                        </Table.Td>
                        <Table.Td>{f.owner ? <EntityRefLink entityRef={f.owner} defaultKind="group" size="sm" /> : '–'}</Table.Td>
                        <Table.Td>
                          <LevelBadge scorecard={p.scorecard} level={f.level} />
                        </Table.Td>
                        <Table.Td>{f.failingRules.map((r) => p.scorecard.rules.find((x) => x.id === r)?.title ?? r).join(', ')}</Table.Td>
                        <Table.Td>{f.daysLeft}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </SectionCard>
            <SectionCard title="Exemptions" description="Granted through POST /api/scorecards/exemptions; each has a reason, an approver and an expiry.">
              <QueryBoundary query={exemptions} compact isEmpty={(d) => !d.items.some((x) => x.scorecardId === p.scorecard.id)} empty={<Text size="sm" c="dimmed">No active exemptions.</Text>}>
                {(d) => (
                  <Table>
                    <Table.Tbody>
                      {d.items
                        .filter((x) => x.scorecardId === p.scorecard.id)
                        .map((x) => (
                          <Table.Tr key={x.id}>
                            <Table.Td>
                              <EntityRefLink entityRef={x.entityRef} size="sm" />
                            </Table.Td>
                            <Table.Td>{x.ruleId}</Table.Td>
                            <Table.Td>{x.reason}</Table.Td>
                            <Table.Td>{x.approvedBy}</Table.Td>
                            <Table.Td>until {x.expiresAt.slice(0, 10)}</Table.Td>
                          </Table.Tr>
                        ))}
                    </Table.Tbody>
                  </Table>
                )}
              </QueryBoundary>
            </SectionCard>
          </Stack>
        </PageLayout>
      )}
    </QueryBoundary>
  );
}
