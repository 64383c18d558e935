import { EmptyState, PageLayout, QueryBoundary, SectionCard } from '@atrium/ui';
import { Anchor, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ScorecardSummary } from '../common';
import { useScorecards } from './api';
import { LevelDistributionBar } from './charts';
import { CsvButton, DefinitionErrors } from './DefinitionErrors';
import { Initiatives } from './Initiatives';
import { scorecardPath } from './paths';
import { RulePassRates, Teams, Trend } from './ScorecardParts';

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
        empty={
          <EmptyState
            title="No scorecards yet"
            description="Add a Scorecard entity to the catalog (see catalog-examples/scorecards) or define one under scorecards.definitions in app-config.yaml."
          />
        }
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

function ScorecardSection(props: { scorecard: ScorecardSummary }) {
  const s = props.scorecard;
  return (
    <SectionCard
      title={
        <Anchor component={Link} to={scorecardPath(s.id)} inherit>
          {s.title}
        </Anchor>
      }
      description={`${s.description ?? ''} ${s.entityCount} entities.`}
      actions={<CsvButton scorecardId={s.id} />}
    >
      <LevelDistributionBar levels={s.levels} counts={s.levelDistribution} label={`${s.title} level distribution`} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <div>
          <Text fw={600} size="sm" mb={4}>
            Pass rate per rule
          </Text>
          <RulePassRates scorecard={s} />
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
