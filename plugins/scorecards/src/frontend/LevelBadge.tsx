import { Badge, Tooltip } from '@mantine/core';
import { RULE_STATUS, type RuleResult, type RuleStatus, type ScorecardDefinition } from '../common';
import { NO_LEVEL_COLOR } from './charts';
import { readableTextOn } from './readableText';

/** The level an entity reached on a scorecard, in the level's colour. */
export function LevelBadge(props: { scorecard: Pick<ScorecardDefinition, 'levels'>; level: string | null }) {
  const level = props.scorecard.levels.find((l) => l.id === props.level);
  const color = level?.color ?? NO_LEVEL_COLOR;
  // Level colours are the author's hex values: pick the text colour by WCAG contrast, since the
  // UI library's autoContrast only knows its own theme colours.
  const text = readableTextOn(color);
  return (
    <Badge color={color} variant="filled" radius="sm" autoContrast={!text} {...(text ? { c: text } : {})} miw="max-content">
      {level?.title ?? 'No level'}
    </Badge>
  );
}

/** A rule result's status as RULE_STATUS names it everywhere; an upcoming rule also says how it would do today. */
export function RuleStatusBadge(props: { status: RuleStatus; preview?: RuleResult['preview'] }) {
  const s = RULE_STATUS[props.status];
  const preview = props.status === 'pending' && props.preview ? RULE_STATUS[props.preview] : undefined;
  return (
    <Tooltip label={s.meaning} multiline w={260} withArrow>
      <Badge color={s.color} variant="light" radius="sm" miw="max-content" tabIndex={0}>
        {s.label}
        {preview ? ` · ${preview.label.toLowerCase()} now` : ''}
      </Badge>
    </Tooltip>
  );
}

export const percent = (passed: number, total: number) => (total ? `${Math.round((passed / total) * 100)}%` : '–');
