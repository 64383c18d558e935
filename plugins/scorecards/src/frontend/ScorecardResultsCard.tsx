import { useEntity } from '@atrium/frontend-plugin-api';
import { SectionCard } from '@atrium/ui';
import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useScorecards } from './api';
import { LevelDistributionBar } from './charts';
import { scorecardPath } from './paths';

/** On a Scorecard entity's overview: how many entities it grades and the levels they reached. */
export default function ScorecardResultsCard() {
  const entity = useEntity();
  const query = useScorecards();
  const id = entity.metadata.name;
  const scorecard = query.data?.items.find((s) => s.id === id);
  const rejected = query.data?.errors.filter((e) => e.scorecard === id) ?? [];
  if (!query.data) return null;
  return (
    <SectionCard
      title="Results"
      actions={
        <Anchor component={Link} to={scorecardPath(id)} size="sm">
          Open
        </Anchor>
      }
    >
      {scorecard ? (
        <>
          <Text size="sm">{scorecard.entityCount} entities graded.</Text>
          <LevelDistributionBar levels={scorecard.levels} counts={scorecard.levelDistribution} label={`${scorecard.title} level distribution`} />
        </>
      ) : (
        <Text size="sm" c={rejected.length ? 'red' : 'dimmed'}>
          {rejected.length ? `Not evaluated: ${rejected.map((e) => (e.rule ? `rule ${e.rule}: ${e.message}` : e.message)).join('; ')}` : 'Not evaluated yet.'}
        </Text>
      )}
    </SectionCard>
  );
}
