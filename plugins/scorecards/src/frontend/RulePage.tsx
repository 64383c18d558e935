import { CodeBlock, DataTable, EmptyState, EntityRefLink, PageLayout, QueryBoundary, SectionCard } from '@atrium/ui';
import { Anchor, Badge, Group, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { isUnmet, RULE_STATUS, RULE_STATUSES, type RuleResultsResponse } from '../common';
import { useRuleResults } from './api';
import { ExemptionsList, RequestExemptionButton } from './Exemptions';
import { LevelBadge, RuleStatusBadge } from './LevelBadge';
import { isNotFound, ScorecardsNotFound } from './NotFound';
import { scorecardPath } from './paths';
import { RuleRate } from './RuleRate';
import { describeSelector } from './describeSelector';

const FILTERS = [
  { value: 'unmet', label: 'Not meeting it (failing or error)' },
  { value: 'all', label: 'All entities' },
  ...RULE_STATUSES.filter((s) => !isUnmet(s)).map((s) => ({ value: s, label: RULE_STATUS[s].label })),
];

/** /scorecards/:id/rules/:ruleId — one rule, and the entities that do not meet it (or any other status). */
export default function RulePage() {
  const params = useParams();
  const [id, ruleId] = [params['id'] ?? '', params['ruleId'] ?? ''];
  const [status, setStatus] = useState('unmet');
  const query = useRuleResults(id, ruleId, status);
  if (query.data === undefined && isNotFound(query.error)) {
    return (
      <ScorecardsNotFound title="Rule not found">
        Scorecard “{id}” has no rule “{ruleId}”, or there is no such scorecard.
      </ScorecardsNotFound>
    );
  }
  return (
    <QueryBoundary query={query} loadingLabel="Loading rule…" errorTitle="Could not load the rule">
      {(d) => <Rule data={d} status={status} onStatus={setStatus} />}
    </QueryBoundary>
  );
}

function Rule(props: { data: RuleResultsResponse; status: string; onStatus: (s: string) => void }) {
  const { scorecard, rule, tally, items } = props.data;
  return (
    <PageLayout
      title={rule.title}
      documentTitle={rule.title === scorecard.title ? rule.title : `${rule.title} · ${scorecard.title}`}
      subtitle={
        <>
          A rule of{' '}
          <Anchor component={Link} to={scorecardPath(scorecard.id)}>
            {scorecard.title}
          </Anchor>
          , worth {rule.weight} points at level <LevelBadge scorecard={scorecard} level={rule.level} />
        </>
      }
    >
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <SectionCard title="What it checks">
            <Stack gap={6}>
              {rule.description && <Text size="sm">{rule.description}</Text>}
              <CodeBlock code={rule.condition} label="Rule condition" wrap />
              {rule.expected && (
                <Text size="sm">
                  <Text span c="dimmed">
                    Expected:{' '}
                  </Text>
                  {rule.expected}
                </Text>
              )}
              {rule.failureMessage && (
                <Text size="sm">
                  <Text span c="dimmed">
                    How to fix:{' '}
                  </Text>
                  {rule.failureMessage}
                </Text>
              )}
              {rule.filter && (
                <Text size="sm">
                  <Text span c="dimmed">
                    Applies to:{' '}
                  </Text>
                  {describeSelector(rule.filter)}
                </Text>
              )}
              {rule.effectiveFrom && (
                <Text size="sm">
                  <Text span c="dimmed">
                    Counts from:{' '}
                  </Text>
                  {rule.effectiveFrom}
                </Text>
              )}
            </Stack>
          </SectionCard>
          <SectionCard title="Results">
            <Stack gap="xs">
              <RuleRate rule={rule} tally={tally} />
              <Group gap={6}>
                <Badge variant="light" color="green">
                  {tally.passed} passing or exempt
                </Badge>
                <Badge variant="light" color="red">
                  {tally.unmet} not meeting it
                </Badge>
                {tally.upcoming > 0 && (
                  <Badge variant="light" color="gray">
                    {tally.upcoming} upcoming
                  </Badge>
                )}
                {tally.notApplicable > 0 && (
                  <Badge variant="light" color="gray">
                    {tally.notApplicable} not applicable
                  </Badge>
                )}
              </Group>
            </Stack>
          </SectionCard>
        </SimpleGrid>
        <SectionCard
          title="Entities"
          actions={
            <Select
              aria-label="Which entities"
              value={props.status}
              onChange={(v) => props.onStatus(v ?? 'unmet')}
              data={FILTERS}
              allowDeselect={false}
              w={{ base: '100%', xs: 280 }}
            />
          }
        >
          {items.length === 0 ? (
            <EmptyState
              compact
              title={props.status === 'unmet' ? 'Every entity meets this rule' : 'No entities with this status'}
              description="Pick another status above to see the rest."
            />
          ) : (
            <DataTable
              label={`Entities for ${rule.title}`}
              rows={items}
              rowKey={(x) => x.entityRef}
              columns={[
                { id: 'entity', primary: true, header: 'Entity', cell: (x) => <EntityRefLink entityRef={x.entityRef} size="sm" /> },
                {
                  id: 'owner',
                  header: 'Owner',
                  cell: (x) => (x.owner ? <EntityRefLink entityRef={x.owner} defaultKind="group" size="sm" /> : <Text size="sm">–</Text>),
                },
                { id: 'result', header: 'Result', card: 'aside', cell: (x) => <RuleStatusBadge status={x.rule.status} preview={x.rule.preview} /> },
                {
                  id: 'actual',
                  header: 'Actual',
                  cell: (x) => (
                    <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                      {x.rule.actual ?? '–'}
                    </Text>
                  ),
                },
                {
                  id: 'action',
                  header: 'Action',
                  cell: (x) => (isUnmet(x.rule.status) ? <RequestExemptionButton entityRef={x.entityRef} scorecard={scorecard} ruleId={rule.id} /> : null),
                },
              ]}
            />
          )}
        </SectionCard>
        <SectionCard title="Exemption requests" description="Asked for by owners; a granted exemption counts the rule as passed until it ends.">
          <ExemptionsList
            query={{ scorecard: scorecard.id, status: 'requested' }}
            ruleId={rule.id}
            scorecard={scorecard}
            label="Exemption requests"
            empty="No requests waiting."
          />
        </SectionCard>
        <SectionCard title="Granted exemptions">
          <ExemptionsList
            query={{ scorecard: scorecard.id, status: 'granted' }}
            ruleId={rule.id}
            scorecard={scorecard}
            label="Granted exemptions"
            empty="No active exemptions."
          />
        </SectionCard>
      </Stack>
    </PageLayout>
  );
}
