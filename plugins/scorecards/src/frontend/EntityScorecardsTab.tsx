import { stringifyEntityRef } from '@atrium/catalog-model';
import { useEntity } from '@atrium/frontend-plugin-api';
import { DataTable, EmptyState, QueryBoundary, RelativeTime, SectionCard } from '@atrium/ui';
import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { isUnmet, type EntityResultsResponse, type Exemption, type HistoryPoint } from '../common';
import { useEntityHistory, useEntityResults, useExemptions } from './api';
import { LineChart } from './charts';
import { RequestExemptionButton } from './Exemptions';
import { LevelBadge, RuleStatusBadge } from './LevelBadge';
import { rulePath, scorecardPath } from './paths';

export const entityRefOf = (entity: { kind: string; metadata: { namespace?: string; name: string } }) =>
  stringifyEntityRef({ kind: entity.kind, namespace: entity.metadata.namespace, name: entity.metadata.name });

/** The "Scorecards" tab: per scorecard the level reached, points, and every rule's result, with how to fix it or ask for an exemption. */
export default function EntityScorecardsTab() {
  const entity = useEntity();
  const namespace = entity.metadata.namespace ?? 'default';
  const entityRef = entityRefOf(entity);
  const query = useEntityResults(entity.kind, namespace, entity.metadata.name);
  const requested = useExemptions({ entityRef, status: 'requested' });
  const granted = useExemptions({ entityRef, status: 'granted' });
  const exemptions = [...(requested.data?.items ?? []), ...(granted.data?.items ?? [])];
  return (
    <QueryBoundary
      query={query}
      loadingLabel="Loading scorecards…"
      errorTitle="Could not load scorecard results"
      isEmpty={(d) => d.results.length === 0}
      empty={
        <EmptyState
          title="No scorecard applies to this entity"
          description="Scorecards pick entities by kind, type, lifecycle or tags; results appear within a few seconds of a change, or after the next evaluation."
        />
      }
    >
      {(data) => (
        <Stack gap="lg">
          {data.results.map((r) => (
            <ScorecardResult key={r.scorecardId} result={r} entityRef={entityRef} exemptions={exemptions.filter((x) => x.scorecardId === r.scorecardId)} />
          ))}
          <History entityRef={entityRef} data={data} />
        </Stack>
      )}
    </QueryBoundary>
  );
}

function ScorecardResult(props: { result: EntityResultsResponse['results'][number]; entityRef: string; exemptions: Exemption[] }) {
  const { result } = props;
  const rules = new Map(result.scorecard.rules.map((r) => [r.id, r]));
  const exemptionFor = (ruleId: string) => props.exemptions.find((x) => x.ruleId === ruleId);
  return (
    <SectionCard
      title={
        <Group gap="sm">
          <Anchor component={Link} to={scorecardPath(result.scorecardId)} inherit>
            {result.scorecard.title}
          </Anchor>
          <LevelBadge scorecard={result.scorecard} level={result.level} />
        </Group>
      }
      description={
        <>
          {result.points}/{result.maxPoints} points · last changed <RelativeTime value={result.changedAt} />
        </>
      }
    >
      <DataTable
        label={`${result.scorecard.title} rules`}
        rows={result.rules}
        rowKey={(rr) => rr.ruleId}
        columns={[
          {
            id: 'rule',
            primary: true,
            header: 'Rule',
            cell: (rr) => {
              const rule = rules.get(rr.ruleId);
              const level = result.scorecard.levels.find((l) => l.id === rule?.level);
              return (
                <div>
                  <Anchor component={Link} to={rulePath(result.scorecardId, rr.ruleId)} size="sm" fw={500}>
                    {rule?.title ?? rr.ruleId}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {level?.title} · {rule?.weight ?? 0} pts{rule?.effectiveFrom && rr.status === 'pending' ? ` · counts from ${rule.effectiveFrom}` : ''}
                  </Text>
                </div>
              );
            },
          },
          { id: 'result', header: 'Result', card: 'aside', cell: (rr) => <RuleStatusBadge status={rr.status} preview={rr.preview} /> },
          {
            id: 'actual',
            header: 'Actual',
            cell: (rr) => (
              <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                {rr.status === 'not-applicable' ? '–' : (rr.actual ?? '–')}
              </Text>
            ),
          },
          {
            id: 'expected',
            header: 'Expected',
            cell: (rr) => (
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {rr.expected ?? rules.get(rr.ruleId)?.condition}
              </Text>
            ),
          },
          {
            id: 'how-to-fix',
            header: 'How to fix',
            cell: (rr) => {
              const exemption = exemptionFor(rr.ruleId);
              const unmet = isUnmet(rr.status) || (rr.status === 'pending' && rr.preview !== undefined && isUnmet(rr.preview));
              if (!exemption && !unmet) return null;
              return (
                <Stack gap={4} align="flex-start">
                  {unmet && rr.message ? <Text size="sm">{rr.message}</Text> : null}
                  {exemption ? (
                    <Badge variant="light" color={exemption.status === 'granted' ? 'blue' : 'gray'} miw="max-content">
                      {exemption.status === 'granted' ? `Exempt until ${exemption.expiresAt.slice(0, 10)}` : 'Exemption requested'}
                    </Badge>
                  ) : isUnmet(rr.status) ? (
                    <RequestExemptionButton entityRef={props.entityRef} scorecard={result.scorecard} ruleId={rr.ruleId} />
                  ) : null}
                </Stack>
              );
            },
          },
        ]}
      />
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
