import { useEntity } from '@atrium/frontend-plugin-api';
import { entityRoutePath, SectionCard } from '@atrium/ui';
import { Anchor, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { isUnmet } from '../common';
import { useEntityResults } from './api';
import { LevelBadge } from './LevelBadge';
import { scorecardPath } from './paths';

/** On the entity overview: the level reached on each scorecard, points, and how many rules to fix. */
export default function EntityScorecardsCard() {
  const entity = useEntity();
  const query = useEntityResults(entity.kind, entity.metadata.namespace ?? 'default', entity.metadata.name);
  const results = query.data?.results ?? [];
  if (!results.length) return null;
  const tab = `${entityRoutePath({ kind: entity.kind, namespace: entity.metadata.namespace ?? 'default', name: entity.metadata.name }) ?? ''}/scorecards`;
  return (
    <SectionCard
      title="Scorecards"
      actions={
        <Anchor component={Link} to={tab} size="sm">
          All rules
        </Anchor>
      }
    >
      <Stack gap="xs">
        {results.map((r) => {
          const toFix = r.rules.filter((x) => isUnmet(x.status)).length;
          return (
            <Group key={r.scorecardId} justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
              <div style={{ minWidth: 0 }}>
                <Anchor component={Link} to={scorecardPath(r.scorecardId)} size="sm" fw={500}>
                  {r.scorecard.title}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {r.points}/{r.maxPoints} points · {toFix === 0 ? 'nothing to fix' : `${toFix} rule${toFix === 1 ? '' : 's'} to fix`}
                </Text>
              </div>
              <LevelBadge scorecard={r.scorecard} level={r.level} />
            </Group>
          );
        })}
      </Stack>
    </SectionCard>
  );
}
