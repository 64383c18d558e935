import { useEntity } from '@atrium/frontend-plugin-api';
import { EmptyState, QueryBoundary, RelativeTime, SectionCard } from '@atrium/ui';
import { Group, Stack, Table, Text } from '@mantine/core';
import type { EntityResultsResponse, HistoryPoint } from '../common';
import { useEntityHistory, useEntityResults } from './api';
import { LineChart } from './charts';
import { LevelBadge, RuleStatusBadge } from './LevelBadge';

/** The "Scorecards" tab: per scorecard the level reached, points, and every rule's actual vs expected value. */
export default function EntityScorecardsTab() {
  const entity = useEntity();
  const namespace = entity.metadata.namespace ?? 'default';
  const entityRef = `${entity.kind}:${namespace}/${entity.metadata.name}`.toLowerCase();
  const query = useEntityResults(entity.kind, namespace, entity.metadata.name);
  return (
    <QueryBoundary
      query={query}
      loadingLabel="Loading scorecards…"
      errorTitle="Could not load scorecard results"
      isEmpty={(d) => d.results.length === 0}
      empty={<EmptyState title="No scorecard applies to this entity" description="Scorecards pick entities by kind, type, lifecycle or tags; results appear within a few seconds of a change, or after the next evaluation." />}
    >
      {(data) => (
        <Stack gap="lg">
          {data.results.map((r) => (
            <ScorecardResult key={r.scorecardId} result={r} />
          ))}
          <History entityRef={entityRef} data={data} />
        </Stack>
      )}
    </QueryBoundary>
  );
}

function ScorecardResult(props: { result: EntityResultsResponse['results'][number] }) {
  const { result } = props;
  const rules = new Map(result.scorecard.rules.map((r) => [r.id, r]));
  return (
    <SectionCard
      title={
        <Group gap="sm">
          <span>{result.scorecard.title}</span>
          <LevelBadge scorecard={result.scorecard} level={result.level} />
        </Group>
      }
      description={
        <>
          {result.points}/{result.maxPoints} points · last changed <RelativeTime value={result.changedAt} />
        </>
      }
    >
      <Table striped aria-label={`${result.scorecard.title} rules`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Rule</Table.Th>
            <Table.Th>Result</Table.Th>
            <Table.Th>Actual</Table.Th>
            <Table.Th>Expected</Table.Th>
            <Table.Th>How to fix</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.rules.map((rr) => {
            const rule = rules.get(rr.ruleId);
            const level = result.scorecard.levels.find((l) => l.id === rule?.level);
            return (
              <Table.Tr key={rr.ruleId}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {rule?.title ?? rr.ruleId}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {level?.title} · {rule?.weight ?? 0} pts
                  </Text>
                </Table.Td>
                <Table.Td>
                  <RuleStatusBadge status={rr.status} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {rr.actual ?? '–'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{rr.expected ?? rule?.condition}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{rr.status === 'pass' ? '' : (rr.message ?? '')}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </SectionCard>
  );
}

function History(props: { entityRef: string; data: EntityResultsResponse }) {
  const query = useEntityHistory(props.entityRef);
  return (
    <SectionCard title="Trend" description="Points per scorecard over time; a point is recorded whenever a result changes.">
      <QueryBoundary query={query} compact>
        {(d) => (
          <LineChart
            label="Scorecard points over time"
            series={props.data.results.map((r, i) => ({
              name: r.scorecard.title,
              color: ['#228be6', '#40c057', '#fab005', '#be4bdb'][i % 4]!,
              points: lastPerDay(d.items.filter((h) => h.scorecardId === r.scorecardId)).map((h) => ({ x: h.recordedAt.slice(0, 10), y: h.points })),
            }))}
          />
        )}
      </QueryBoundary>
    </SectionCard>
  );
}

function lastPerDay(items: HistoryPoint[]): HistoryPoint[] {
  const byDay = new Map<string, HistoryPoint>();
  for (const h of items) byDay.set(h.recordedAt.slice(0, 10), h);
  return [...byDay.values()];
}
