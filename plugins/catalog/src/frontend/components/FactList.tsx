import { Box, SimpleGrid, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export interface Fact {
  label: string;
  value: ReactNode;
  /** Spans both columns, e.g. a long description. */
  wide?: boolean;
}

/** Labelled values in two columns, as a description list. */
export function FactList(props: { facts: readonly Fact[] }) {
  return (
    <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm" m={0}>
      {props.facts.map((fact) => (
        <Box key={fact.label} style={fact.wide ? { gridColumn: '1 / -1' } : undefined}>
          <Text component="dt" size="xs" tt="uppercase" fw={700} c="dimmed">
            {fact.label}
          </Text>
          <Box component="dd" m={0} mt={2} fz="sm" style={{ overflowWrap: 'anywhere' }}>
            {fact.value}
          </Box>
        </Box>
      ))}
    </SimpleGrid>
  );
}

/** The "nothing here" value of a fact. */
export function NoValue(props: { children?: ReactNode }) {
  return (
    <Text span size="sm" c="dimmed">
      {props.children ?? 'None'}
    </Text>
  );
}
