import { DataTable, EmptyState, EntityRefLink, QueryBoundary, SectionCard } from '@atrium/ui';
import { Anchor, Badge, Group, Progress, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useInitiatives, type InitiativeSummary } from './api';
import { initiativePath } from './paths';

export function DeadlineBadge(props: { daysLeft: number }) {
  const { daysLeft } = props;
  return (
    <Badge color={daysLeft < 0 ? 'red' : daysLeft <= 14 ? 'orange' : 'gray'} variant="light" miw="max-content">
      {daysLeft < 0 ? `${-daysLeft} days overdue` : `${daysLeft} days left`}
    </Badge>
  );
}

export function InitiativeProgressBar(props: { passing: number; total: number }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Progress value={props.total ? (props.passing / props.total) * 100 : 0} w={120} aria-label="Entities meeting the target" />
      <Text size="sm">
        {props.passing}/{props.total}
      </Text>
    </Group>
  );
}

/** Initiatives, all of them or those of one scorecard. */
export function Initiatives(props: { scorecardId?: string }) {
  const query = useInitiatives();
  const pick = (items: InitiativeSummary[]) => (props.scorecardId ? items.filter((i) => i.scorecard === props.scorecardId) : items);
  return (
    <SectionCard title="Initiatives" description="Deadline-driven pushes to reach a level or pass a set of rules.">
      <QueryBoundary
        query={query}
        compact
        isEmpty={(d) => pick(d.items).length === 0}
        empty={<EmptyState compact title="No initiatives" description="Add an Initiative entity naming a scorecard, a target level and a deadline." />}
      >
        {(d) => (
          <DataTable
            label="Initiatives"
            rows={pick(d.items)}
            rowKey={(i) => i.id}
            columns={[
              {
                id: 'initiative',
                primary: true,
                header: 'Initiative',
                cell: (i) => (
                  <Anchor component={Link} to={initiativePath(i.id)}>
                    {i.title}
                  </Anchor>
                ),
              },
              { id: 'owner', header: 'Owner', cell: (i) => <EntityRefLink entityRef={i.owner} defaultKind="group" /> },
              { id: 'progress', header: 'Progress', width: 200, cell: (i) => <InitiativeProgressBar passing={i.passing} total={i.total} /> },
              {
                id: 'deadline',
                header: 'Deadline',
                cell: (i) => (
                  <Group gap={6} wrap="wrap" justify="flex-end">
                    <Text size="sm">{i.deadline}</Text>
                    <DeadlineBadge daysLeft={i.daysLeft} />
                  </Group>
                ),
              },
            ]}
          />
        )}
      </QueryBoundary>
    </SectionCard>
  );
}
