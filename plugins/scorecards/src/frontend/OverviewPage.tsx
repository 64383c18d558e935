import { EmptyState, EntityRefLink, PageLayout, QueryBoundary, SectionCard } from '@atrium/ui';
import { Alert, Anchor, Badge, Button, Group, Progress, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { DefinitionError, ScorecardSummary } from '../common';
import { useInitiatives, useOwnerRollups, useScorecards, useTrend, type InitiativeSummary } from './api';
import { LevelDistributionBar, LineChart, NO_LEVEL_COLOR } from './charts';
import { percent } from './LevelBadge';

/** /scorecards: every scorecard's level distribution, trend, rule pass rates and teams; initiatives. */
export default function OverviewPage() {
  const query = useScorecards();
  return (
    <PageLayout title="Scorecards" subtitle="How production-ready and well documented every service is, and what each team should fix next.">
      <QueryBoundary
        query={query}
        loadingLabel="Loading scorecards…"
        errorTitle="Could not load scorecards"
        isEmpty={(d) => d.items.length === 0 && d.errors.length === 0}
        empty={<EmptyState title="No scorecards yet" description="Add a Scorecard entity to the catalog (see catalog-examples/scorecards) or define one under scorecards.definitions in app-config.yaml." />}
      >
        {(data) => (
          <Stack gap="lg">
            <DefinitionErrors errors={data.errors} />
            <Initiatives />
            {data.items.map((s) => (
              <ScorecardSection key={s.id} scorecard={s} />
            ))}
          </Stack>
        )}
      </QueryBoundary>
    </PageLayout>
  );
}

function DefinitionErrors(props: { errors: DefinitionError[] }) {
  if (!props.errors.length) return null;
  return (
    <Alert color="red" title={`${props.errors.length} definition(s) rejected`}>
      <Stack gap={2}>
        {props.errors.map((e, i) => (
          <Text size="sm" key={i}>
            <b>{e.scorecard ?? e.initiative}</b>
            {e.rule ? ` / rule ${e.rule}` : ''} ({e.source}): {e.message}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

function Initiatives() {
  const query = useInitiatives();
  return (
    <SectionCard title="Initiatives" description="Deadline-driven pushes to reach a level or pass a set of rules.">
      <QueryBoundary
        query={query}
        compact
        isEmpty={(d) => d.items.length === 0}
        empty={<EmptyState compact title="No initiatives" description="Add an Initiative entity naming a scorecard, a target level and a deadline." />}
      >
        {(d) => (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Initiative</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th>Progress</Table.Th>
                <Table.Th>Deadline</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.items.map((i: InitiativeSummary) => (
                <Table.Tr key={i.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/scorecards/initiatives/${encodeURIComponent(i.id)}`}>
                      {i.title}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <EntityRefLink entityRef={i.owner} defaultKind="group" />
                  </Table.Td>
                  <Table.Td w={260}>
                    <Group gap="xs" wrap="nowrap">
                      <Progress value={i.total ? (i.passing / i.total) * 100 : 0} w={140} />
                      <Text size="sm">
                        {i.passing}/{i.total}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {i.deadline}{' '}
                    <Badge color={i.daysLeft < 0 ? 'red' : i.daysLeft <= 14 ? 'orange' : 'gray'} variant="light">
                      {i.daysLeft < 0 ? `${-i.daysLeft} days overdue` : `${i.daysLeft} days left`}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryBoundary>
    </SectionCard>
  );
}

function ScorecardSection(props: { scorecard: ScorecardSummary }) {
  const s = props.scorecard;
  const passRate = (id: string) => s.rulePassRates[id] ?? { passed: 0, total: 0 };
  return (
    <SectionCard
      title={s.title}
      description={`${s.description ?? ''} ${s.entityCount} entities.`}
      actions={
        <Button component="a" href={`/api/scorecards/export.csv?scorecard=${encodeURIComponent(s.id)}`} variant="default" size="xs" leftSection={<IconDownload size={14} />}>
          CSV
        </Button>
      }
    >
      <LevelDistributionBar levels={s.levels} counts={s.levelDistribution} label={`${s.title} level distribution`} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <div>
          <Text fw={600} size="sm" mb={4}>
            Pass rate per rule
          </Text>
          <Table striped>
            <Table.Tbody>
              {s.rules.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Text size="sm">{r.title}</Text>
                    <Text size="xs" c="dimmed">
                      {s.levels.find((l) => l.id === r.level)?.title} · {r.weight} pts{r.effectiveFrom ? ` · counts from ${r.effectiveFrom}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td w={160}>
                    <Group gap="xs" wrap="nowrap">
                      <Progress value={passRate(r.id).total ? (passRate(r.id).passed / passRate(r.id).total) * 100 : 0} w={80} color="green" />
                      <Text size="sm">{percent(passRate(r.id).passed, passRate(r.id).total)}</Text>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
        <Stack gap="md">
          <div>
            <Text fw={600} size="sm" mb={4}>
              Trend (entities per level, last 90 days)
            </Text>
            <Trend scorecard={s} />
          </div>
          <div>
            <Text fw={600} size="sm" mb={4}>
              Teams
            </Text>
            <Teams scorecard={s} />
          </div>
        </Stack>
      </SimpleGrid>
    </SectionCard>
  );
}

function Trend(props: { scorecard: ScorecardSummary }) {
  const query = useTrend(props.scorecard.id);
  const levels = [{ id: '', title: 'No level', color: NO_LEVEL_COLOR }, ...props.scorecard.levels];
  return (
    <QueryBoundary query={query} compact>
      {(d) => {
        const days = [...new Set(d.items.map((r) => r.day))].sort();
        const series = levels.map((l) => ({
          name: l.title,
          color: l.color,
          points: days.map((day) => ({ x: day, y: d.items.filter((r) => r.day === day && (r.level ?? '') === l.id).reduce((n, r) => n + r.entities, 0) })),
        }));
        return <LineChart series={series} label={`${props.scorecard.title} trend`} height={160} />;
      }}
    </QueryBoundary>
  );
}

function Teams(props: { scorecard: ScorecardSummary }) {
  const query = useOwnerRollups(props.scorecard.id);
  const top = props.scorecard.levels[props.scorecard.levels.length - 1];
  return (
    <QueryBoundary query={query} compact isEmpty={(d) => d.items.length === 0} empty={<Text size="sm" c="dimmed">No results yet.</Text>}>
      {(d) => (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Owner</Table.Th>
              <Table.Th>Entities</Table.Th>
              <Table.Th>Points</Table.Th>
              <Table.Th>{top ? `At ${top.title}` : 'Top level'}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.items
              .slice()
              .sort((a, b) => a.points / (a.maxPoints || 1) - b.points / (b.maxPoints || 1))
              .map((o) => (
                <Table.Tr key={o.key}>
                  <Table.Td>
                    {o.key === 'none' ? (
                      <Text size="sm">No owner</Text>
                    ) : (
                      <Anchor component={Link} to={`/scorecards/teams/${encodeURIComponent(o.key)}`} size="sm">
                        {o.key.replace(/^group:default\//, '')}
                      </Anchor>
                    )}
                  </Table.Td>
                  <Table.Td>{o.entityCount}</Table.Td>
                  <Table.Td>{percent(o.points, o.maxPoints)}</Table.Td>
                  <Table.Td>{top ? (o.levels[top.id] ?? 0) : 0}</Table.Td>
                </Table.Tr>
              ))}
          </Table.Tbody>
        </Table>
      )}
    </QueryBoundary>
  );
}
