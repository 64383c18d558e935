import { Badge, type BadgeProps } from '@mantine/core';
import { statusTone, TONE_COLORS, type StatusTone } from './statusTone';

export interface StatusBadgeProps {
  /** A status word such as `ok`, `degraded`, `failed`; its tone is picked automatically. */
  status: string;
  /** Text to show instead of the status word. */
  label?: string;
  /** Overrides the automatic tone. */
  tone?: StatusTone;
  size?: BadgeProps['size'];
}

/** A coloured status label; the text always carries the meaning, the colour only reinforces it. */
export function StatusBadge(props: StatusBadgeProps) {
  const tone = props.tone ?? statusTone(props.status);
  return (
    <Badge color={TONE_COLORS[tone]} variant="light" size={props.size ?? 'sm'} radius="sm" style={{ flexShrink: 0 }}>
      {props.label ?? props.status}
    </Badge>
  );
}
