import { Box, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { usePageTitle } from './usePageTitle';

export interface PageLayoutProps {
  title: string;
  subtitle?: ReactNode;
  /** Buttons or links shown at the right of the title. */
  actions?: ReactNode;
  /** Browser tab title when it should differ from `title`. */
  documentTitle?: string;
  children?: ReactNode;
}

/** The frame of a page: a heading with optional subtitle and actions, then the content. */
export function PageLayout(props: PageLayoutProps) {
  usePageTitle(props.documentTitle ?? props.title);
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Box>
          <Title order={1} size="h2">
            {props.title}
          </Title>
          {props.subtitle !== undefined && (
            <Text c="dimmed" mt={4}>
              {props.subtitle}
            </Text>
          )}
        </Box>
        {props.actions !== undefined && <Group gap="sm">{props.actions}</Group>}
      </Group>
      {props.children}
    </Stack>
  );
}
