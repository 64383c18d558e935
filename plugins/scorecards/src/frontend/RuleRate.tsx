import { Group, Progress, Text } from '@mantine/core';
import type { RuleTally, ScorecardRule } from '../common';
import { percent } from './LevelBadge';

/**
 * A rule's pass rate over the entities it holds to account (passing or exempt out of passing,
 * failing, error or exempt). Upcoming rules have no pass rate yet: they say how many would pass.
 */
export function RuleRate(props: { rule: ScorecardRule; tally: RuleTally | undefined }) {
  const t = props.tally ?? { passed: 0, total: 0, unmet: 0, upcoming: 0, ready: 0, notApplicable: 0 };
  const upcoming = t.upcoming > 0 && (
    <Text size="xs" c="dimmed">
      Upcoming{props.rule.effectiveFrom ? ` from ${props.rule.effectiveFrom}` : ''} · {t.ready}/{t.upcoming} would pass
    </Text>
  );
  if (t.total === 0) {
    return (
      upcoming || (
        <Text size="sm" c="dimmed">
          {t.notApplicable > 0 ? 'Not applicable' : 'No results yet'}
        </Text>
      )
    );
  }
  return (
    <div>
      <Group gap="xs" wrap="nowrap">
        <Progress value={(t.passed / t.total) * 100} w={72} color="green" aria-label={`${props.rule.title} pass rate`} />
        <Text size="sm">{percent(t.passed, t.total)}</Text>
      </Group>
      {upcoming}
    </div>
  );
}
