import { EntityRefLink, PageLayout, QueryBoundary, SectionCard } from '@atrium/ui';
import { Badge, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useParams } from 'react-router';
import type { ScorecardSummary } from '../common';
import { useScorecards } from './api';
import { LevelDistributionBar } from './charts';
import { CsvButton, DefinitionErrors } from './DefinitionErrors';
import { Initiatives } from './Initiatives';
import { describeSelector } from './describeSelector';
import { ScorecardsNotFound } from './NotFound';
import { RulePassRates, Teams, Trend } from './ScorecardParts';

/** /scorecards/:id — one scorecard: what it applies to, its levels and rules with pass rates, trend, teams, initiatives. */
export default function ScorecardPage() {
  const id = useParams()['id'] ?? '';
  const query = useScorecards();
  return (
    <QueryBoundary query={query} loadingLabel="Loading scorecard…" errorTitle="Could not load the scorecard">
      {(data) => {
        const scorecard = data.items.find((s) => s.id === id);
        if (scorecard) return <Scorecard scorecard={scorecard} />;
        const rejected = data.errors.filter((e) => e.scorecard === id);
        if (rejected.length) {
          return (
            <PageLayout title={id} subtitle="This scorecard is not evaluated: its definition was rejected.">
              <DefinitionErrors errors={rejected} title="Why it was rejected" />
            </PageLayout>
          );
        }
        return (
          <ScorecardsNotFound title="Scorecard not found">
            There is no scorecard “{id}”. It may have been renamed or removed; the list of scorecards is one click away.
          </ScorecardsNotFound>
        );
      }}
    </QueryBoundary>
  );
}

function Scorecard(props: { scorecard: ScorecardSummary }) {
  const s = props.scorecard;
  const fromCatalog = /^[a-z0-9-]+:[^/]+\/.+$/i.test(s.source);
  return (
    <PageLayout title={s.title} subtitle={s.description} actions={<CsvButton scorecardId={s.id} />}>
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <SectionCard title="About">
            <Stack gap={6}>
              <Text size="sm">
                <Text span c="dimmed">
                  Applies to:{' '}
                </Text>
                {describeSelector(s.filter)} ({s.entityCount} entities)
              </Text>
              <Text size="sm" component="div">
                <Text span c="dimmed">
                  Defined in:{' '}
                </Text>
                {fromCatalog ? <EntityRefLink entityRef={s.source} /> : s.source}
              </Text>
              <Group gap={6}>
                <Text size="sm" c="dimmed">
                  Levels:
                </Text>
                {s.levels.map((l) => (
                  <Badge key={l.id} color={l.color} autoContrast radius="sm">
                    {l.title} · {s.rules.filter((r) => r.level === l.id).length} rules
                  </Badge>
                ))}
              </Group>
            </Stack>
          </SectionCard>
          <SectionCard title="Levels reached">
            <LevelDistributionBar levels={s.levels} counts={s.levelDistribution} label={`${s.title} level distribution`} />
          </SectionCard>
        </SimpleGrid>
        <SectionCard title="Rules" description="Each rule's pass rate over the entities it counts for; open a rule to see who does not meet it.">
          <RulePassRates scorecard={s} />
        </SectionCard>
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <SectionCard title="Trend" description="Entities per level, last 90 days.">
            <Trend scorecard={s} />
          </SectionCard>
          <SectionCard title="Teams">
            <Teams scorecard={s} />
          </SectionCard>
        </SimpleGrid>
        <Initiatives scorecardId={s.id} />
      </Stack>
    </PageLayout>
  );
}
