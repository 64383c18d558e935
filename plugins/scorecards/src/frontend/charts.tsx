import { Box, Group, Text, Tooltip } from '@mantine/core';
import type { ScorecardLevel } from '../common';

export const NO_LEVEL_COLOR = '#adb5bd';

/** Horizontal bar of how many entities sit at each level, lowest first, "no level" at the left. */
export function LevelDistributionBar(props: { levels: ScorecardLevel[]; counts: Record<string, number>; label: string }) {
  const segments = [{ id: 'none', title: 'No level', color: NO_LEVEL_COLOR }, ...props.levels].map((l) => ({ ...l, count: props.counts[l.id] ?? 0 }));
  const total = segments.reduce((n, s) => n + s.count, 0);
  return (
    <Box>
      <Box
        role="img"
        aria-label={`${props.label}: ${segments.map((s) => `${s.title} ${s.count}`).join(', ')}`}
        style={{ display: 'flex', height: 14, borderRadius: 7, overflow: 'hidden', background: '#f1f3f5' }}
      >
        {total > 0 &&
          segments
            .filter((s) => s.count > 0)
            .map((s) => (
              <Tooltip key={s.id} label={`${s.title}: ${s.count}`}>
                <Box style={{ width: `${(s.count / total) * 100}%`, background: s.color }} />
              </Tooltip>
            ))}
      </Box>
      <Group gap="md" mt={6}>
        {segments.map((s) => (
          <Group key={s.id} gap={4}>
            <Box w={10} h={10} style={{ background: s.color, borderRadius: 2 }} />
            <Text size="xs" c="dimmed">
              {s.title} {s.count} {total > 0 ? `(${Math.round((s.count / total) * 100)}%)` : ''}
            </Text>
          </Group>
        ))}
      </Group>
    </Box>
  );
}

export interface Series {
  name: string;
  color: string;
  points: Array<{ x: string; y: number }>;
}

/**
 * A small dependency-free SVG line chart (trend, burn-up). x values are ISO days, shared
 * across series; y starts at 0.
 */
export function LineChart(props: { series: Series[]; height?: number; label: string; yMax?: number }) {
  const width = 640;
  const height = props.height ?? 180;
  const pad = { l: 36, r: 12, t: 10, b: 24 };
  const xs = [...new Set(props.series.flatMap((s) => s.points.map((p) => p.x)))].sort();
  const yMax = Math.max(1, props.yMax ?? 0, ...props.series.flatMap((s) => s.points.map((p) => p.y)));
  const x = (v: string) => pad.l + (xs.length <= 1 ? (width - pad.l - pad.r) / 2 : (xs.indexOf(v) / (xs.length - 1)) * (width - pad.l - pad.r));
  const y = (v: number) => height - pad.b - (v / yMax) * (height - pad.t - pad.b);
  if (!xs.length)
    return (
      <Text size="sm" c="dimmed">
        No data points yet: trends appear after the first daily evaluation.
      </Text>
    );
  return (
    <Box>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={props.label} style={{ maxHeight: height }}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={pad.l} x2={width - pad.r} y1={y(yMax * f)} y2={y(yMax * f)} stroke="#e9ecef" />
            <text x={pad.l - 6} y={y(yMax * f) + 4} fontSize="10" textAnchor="end" fill="#868e96">
              {Math.round(yMax * f)}
            </text>
          </g>
        ))}
        <text x={pad.l} y={height - 6} fontSize="10" fill="#868e96">
          {xs[0]}
        </text>
        {xs.length > 1 && (
          <text x={width - pad.r} y={height - 6} fontSize="10" textAnchor="end" fill="#868e96">
            {xs[xs.length - 1]}
          </text>
        )}
        {props.series.map((s) => (
          <g key={s.name}>
            <polyline fill="none" stroke={s.color} strokeWidth={2} points={s.points.map((p) => `${x(p.x)},${y(p.y)}`).join(' ')} />
            {s.points.map((p) => (
              <circle key={p.x} cx={x(p.x)} cy={y(p.y)} r={3} fill={s.color}>
                <title>{`${s.name} ${p.x}: ${p.y}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <Group gap="md">
        {props.series.map((s) => (
          <Group key={s.name} gap={4}>
            <Box w={10} h={3} style={{ background: s.color }} />
            <Text size="xs" c="dimmed">
              {s.name}
            </Text>
          </Group>
        ))}
      </Group>
    </Box>
  );
}
