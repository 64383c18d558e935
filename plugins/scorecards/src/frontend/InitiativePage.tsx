import { DataTable, EmptyState, EntityRefLink, PageLayout, QueryBoundary, SectionCard } from '@atrium/ui';
import { Anchor, Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useInitiative } from './api';
import { LineChart } from './charts';
import { ExemptionsList } from './Exemptions';
import { DeadlineBadge } from './Initiatives';
import { LevelBadge, percent } from './LevelBadge';
import { isNotFound, ScorecardsNotFound } from './NotFound';
import { rulePath, scorecardPath } from './paths';

/** /scorecards/initiatives/:id — burn-up, progress per team, failing entities with days left, exemptions. */
export default function InitiativePage() {
  const id = useParams()['id'] ?? '';
  const query = useInitiative(id);
  if (query.data === undefined && isNotFound(query.error)) {
    return (
      <ScorecardsNotFound title="Initiative not found">There is no initiative “{id}”. It may have ended and been removed, or been renamed.</ScorecardsNotFound>
    );
  }
  return (
    <QueryBoundary query={query} loadingLabel="Loading initiative…" errorTitle="Could not load the initiative">
      {(p) => (
        <PageLayout
          title={p.initiative.title}
          subtitle={
            <>
              {p.initiative.description} Target:{' '}
              {p.initiative.targetLevel ? <LevelBadge scorecard={p.scorecard} level={p.initiative.targetLevel} /> : `rules ${p.initiative.rules?.join(', ')}`}{' '}
              on{' '}
              <Anchor component={Link} to={scorecardPath(p.scorecard.id)}>
                {p.scorecard.title}
              </Anchor>
              .
            </>
          }
        >
          <Stack gap="lg">
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              <SectionCard title="Progress">
                <Text size="xl" fw={700}>
                  {p.passing}/{p.total} ({percent(p.passing, p.total)})
                </Text>
                <Progress value={p.total ? (p.passing / p.total) * 100 : 0} aria-label="Entities meeting the target" />
              </SectionCard>
              <SectionCard title="Deadline">
                <Text size="xl" fw={700}>
                  {p.initiative.deadline}
                </Text>
                <DeadlineBadge daysLeft={p.daysLeft} />
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
              <DataTable
                label="Progress per team"
                rows={p.teams}
                rowKey={(t) => t.owner}
                columns={[
                  {
                    id: 'team',
                    primary: true,
                    header: 'Team',
                    cell: (t) => (t.owner === 'none' ? 'No owner' : <EntityRefLink entityRef={t.owner} defaultKind="group" size="sm" />),
                  },
                  {
                    id: 'meeting-the-target',
                    header: 'Meeting the target',
                    width: 220,
                    cell: (t) => (
                      <Group gap="xs" wrap="nowrap" justify="flex-end">
                        <Progress value={(t.passing / t.total) * 100} w={120} aria-label={`${t.owner} progress`} />
                        <Text size="sm">
                          {t.passing}/{t.total}
                        </Text>
                      </Group>
                    ),
                  },
                ]}
              />
            </SectionCard>
            <SectionCard title="Failing entities">
              {p.failing.length === 0 ? (
                <EmptyState compact title="Everything meets the target" description="Nothing left to do for this initiative." />
              ) : (
                <DataTable
                  label="Failing entities"
                  rows={p.failing}
                  rowKey={(f) => f.entityRef}
                  columns={[
                    { id: 'entity', primary: true, header: 'Entity', cell: (f) => <EntityRefLink entityRef={f.entityRef} size="sm" /> },
                    { id: 'owner', header: 'Owner', cell: (f) => (f.owner ? <EntityRefLink entityRef={f.owner} defaultKind="group" size="sm" /> : '–') },
                    { id: 'level', header: 'Level', cell: (f) => <LevelBadge scorecard={p.scorecard} level={f.level} /> },
                    {
                      id: 'failing-rules',
                      header: 'Failing rules',
                      cell: (f) => (
                        <Text size="sm">
                          {f.failingRules.map((r, i) => {
                            const rule = p.scorecard.rules.find((x) => x.id === r);
                            return (
                              <span key={r}>
                                {i > 0 && ', '}
                                {rule ? (
                                  <Anchor component={Link} to={rulePath(p.scorecard.id, r)} inherit>
                                    {rule.title}
                                  </Anchor>
                                ) : (
                                  r
                                )}
                              </span>
                            );
                          })}
                        </Text>
                      ),
                    },
                    { id: 'days-left', header: 'Days left', cell: (f) => f.daysLeft },
                  ]}
                />
              )}
            </SectionCard>
            <SectionCard
              title="Exemption requests"
              description={`Asked for by owners on ${p.scorecard.title}'s rules; granting one counts the rule as passed until it ends.`}
            >
              <ExemptionsList
                query={{ scorecard: p.scorecard.id, status: 'requested' }}
                scorecard={p.scorecard}
                label="Exemption requests"
                empty="No requests waiting."
              />
            </SectionCard>
            <SectionCard title="Exemptions" description="Granted exemptions; each has a reason, an approver and an end date.">
              <ExemptionsList
                query={{ scorecard: p.scorecard.id, status: 'granted' }}
                scorecard={p.scorecard}
                label="Granted exemptions"
                empty="No active exemptions."
              />
            </SectionCard>
          </Stack>
        </PageLayout>
      )}
    </QueryBoundary>
  );
}
