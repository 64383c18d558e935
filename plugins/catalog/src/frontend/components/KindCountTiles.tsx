import { Group, SimpleGrid, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import { KindIcon } from './KindIcon';
import classes from './KindCountTiles.module.css';
import { kindNoun } from './kindLabels';

/** Counts per kind as a grid of links, e.g. "6 components" into the explorer filtered to them. */
export function KindCountTiles(props: { counts: ReadonlyArray<{ value: string; count: number }>; href: (kind: string) => string; label: string }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs" component="ul" className={classes.list} aria-label={props.label}>
      {props.counts.map(({ value, count }) => (
        <li key={value}>
          <UnstyledButton component={Link} to={props.href(value)} className={classes.tile}>
            <Group gap={6} wrap="nowrap">
              <KindIcon kind={value} size={18} />
              <Text fw={700} size="lg">
                {count.toLocaleString()}
              </Text>
            </Group>
            <Text size="sm" c="dimmed">
              {kindNoun(count, value)}
            </Text>
          </UnstyledButton>
        </li>
      ))}
    </SimpleGrid>
  );
}
