import { DataTable, QueryBoundary } from '@atrium/ui';
import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ScorecardRollup, ScorecardSummary } from '../common';
import { useOwnerRollups, useTrend } from './api';
import { LineChart, NO_LEVEL_COLOR } from './charts';
import { percent } from './LevelBadge';
import { OwnerName } from './OwnerName';
import { rulePath, teamPath } from './paths';
import { RuleRate } from './RuleRate';

/** Every rule of a scorecard with its level, weight and pass rate; each links to its drill-down. */
export function RulePassRates(props: { scorecard: ScorecardSummary }) {
  const s = props.scorecard;
  return (
    <DataTable
      label={`${s.title} pass rate per rule`}
      minTableWidth={300}
      rows={s.rules}
      rowKey={(r) => r.id}
      columns={[
        {
          id: 'rule',
          primary: true,
          header: 'Rule',
          cell: (r) => (
            <div>
              <Anchor component={Link} to={rulePath(s.id, r.id)} size="sm">
                {r.title}
              </Anchor>
              <Text size="xs" c="dimmed">
                {s.levels.find((l) => l.id === r.level)?.title} · {r.weight} pts{r.effectiveFrom ? ` · counts from ${r.effectiveFrom}` : ''}
              </Text>
            </div>
          ),
        },
        { id: 'pass-rate', header: 'Pass rate', width: 170, cell: (r) => <RuleRate rule={r} tally={s.rulePassRates[r.id]} /> },
      ]}
    />
  );
}

export function Trend(props: { scorecard: ScorecardSummary }) {
  const query = useTrend(props.scorecard.id);
  const levels = [{ id: '', title: 'No level', color: NO_LEVEL_COLOR }, ...props.scorecard.levels];
  return (
    <QueryBoundary query={query} compact>
      {(d) => {
        // The daily figures count every entity: a caller who may not read them all gets none.
        if (d.restricted) {
          return (
            <Text size="sm" c="dimmed">
              The trend counts every entity, so it is shown only to those who may read them all.
            </Text>
          );
        }
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

/** Owners, weakest first: entities, share of points, and how many reached the top level. */
export function Teams(props: { scorecard: ScorecardSummary }) {
  const query = useOwnerRollups(props.scorecard.id);
  const top = props.scorecard.levels[props.scorecard.levels.length - 1];
  return (
    <QueryBoundary
      query={query}
      compact
      isEmpty={(d) => d.items.length === 0}
      empty={
        <Text size="sm" c="dimmed">
          No results yet.
        </Text>
      }
    >
      {(d) => (
        <DataTable
          label={`${props.scorecard.title} teams`}
          minTableWidth={380}
          rows={d.items.slice().sort((a, b) => a.points / (a.maxPoints || 1) - b.points / (b.maxPoints || 1))}
          rowKey={(o) => o.key}
          columns={[
            {
              id: 'owner',
              primary: true,
              header: 'Owner',
              cell: (o: ScorecardRollup) =>
                o.key === 'none' ? (
                  <Text size="sm">No owner</Text>
                ) : (
                  <Anchor component={Link} to={teamPath(o.key)} size="sm">
                    <OwnerName ownerRef={o.key} />
                  </Anchor>
                ),
            },
            { id: 'entities', header: 'Entities', cell: (o) => o.entityCount },
            { id: 'points', header: 'Points', cell: (o) => percent(o.points, o.maxPoints) },
            { id: 'col6', header: top ? `At ${top.title}` : 'Top level', cell: (o) => (top ? (o.levels[top.id] ?? 0) : 0) },
          ]}
        />
      )}
    </QueryBoundary>
  );
}
