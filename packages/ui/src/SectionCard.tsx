import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';

export interface SectionCardProps {
  title: ReactNode;
  description?: ReactNode;
  /** Shown at the right of the title. */
  actions?: ReactNode;
  /** Heading level; 2 inside a page, 3 inside a section. */
  headingOrder?: 2 | 3 | 4;
  children: ReactNode;
}

/** A bordered card with a heading: the building block of pages and home widgets. */
export function SectionCard(props: SectionCardProps) {
  const headingId = useId();
  return (
    <Paper component="section" withBorder radius="md" p="md" aria-labelledby={headingId} h="100%">
      <Stack gap="sm">
        <Group justify="space-between" align="center" gap="xs">
          <div>
            <Title id={headingId} order={props.headingOrder ?? 2} size="h4">
              {props.title}
            </Title>
            {props.description !== undefined && (
              <Text size="sm" c="dimmed">
                {props.description}
              </Text>
            )}
          </div>
          {props.actions}
        </Group>
        {props.children}
      </Stack>
    </Paper>
  );
}
