import { Badge } from '@mantine/core';
import type { RuleStatus, ScorecardDefinition } from '../common';
import { NO_LEVEL_COLOR } from './charts';

/** The level an entity reached on a scorecard, in the level's colour. */
export function LevelBadge(props: { scorecard: Pick<ScorecardDefinition, 'levels'>; level: string | null }) {
  const level = props.scorecard.levels.find((l) => l.id === props.level);
  return (
    <Badge color={level?.color ?? NO_LEVEL_COLOR} variant="filled" radius="sm" autoContrast miw="max-content">
      {level?.title ?? 'No level'}
    </Badge>
  );
}

const STATUS: Record<RuleStatus, { label: string; color: string }> = {
  pass: { label: 'Passed', color: 'green' },
  fail: { label: 'Failed', color: 'red' },
  error: { label: 'Not applicable', color: 'orange' },
  exempt: { label: 'Exempt', color: 'blue' },
  pending: { label: 'Upcoming', color: 'gray' },
};

export function RuleStatusBadge(props: { status: RuleStatus }) {
  const s = STATUS[props.status];
  return (
    <Badge color={s.color} variant="light" radius="sm" miw="max-content">
      {s.label}
    </Badge>
  );
}

export const percent = (passed: number, total: number) => (total ? `${Math.round((passed / total) * 100)}%` : '–');
