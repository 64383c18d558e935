import { Button, Code, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconHome, IconMapQuestion } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { PageLayout } from './PageLayout';

export interface NotFoundPageProps {
  /** The page heading (and tab title). */
  title?: string;
  /** What is missing and why it may be; by default, that nothing lives at the current path. */
  description?: ReactNode;
  /** Where to go instead, e.g. a link to the plugin's overview; "Go to the home page" is always offered. */
  actions?: ReactNode;
}

/**
 * The page for an address that leads nowhere: the shell shows it for unknown paths, and a
 * plugin with nested routes shows it for unknown ones under its own path
 * (`<Route path="*" element={<NotFoundPage actions={…} />} />`), instead of another page.
 */
export function NotFoundPage(props: NotFoundPageProps) {
  const { pathname } = useLocation();
  return (
    <PageLayout title={props.title ?? 'Page not found'}>
      <Group align="flex-start" wrap="nowrap" gap="md">
        <ThemeIcon variant="light" size={44} radius="md" color="gray" aria-hidden>
          <IconMapQuestion size={26} />
        </ThemeIcon>
        <Stack gap="md" align="flex-start" style={{ minWidth: 0 }}>
          <Text style={{ overflowWrap: 'anywhere' }}>
            {props.description ?? (
              <>
                There is no page at <Code>{pathname}</Code>. The address may be mistyped or out of date, or the plugin that provides this page is not installed.
              </>
            )}
          </Text>
          <Group gap="sm">
            {props.actions}
            <Button component={Link} to="/" variant={props.actions ? 'default' : 'filled'} leftSection={<IconHome size={16} aria-hidden />}>
              Go to the home page
            </Button>
          </Group>
        </Stack>
      </Group>
    </PageLayout>
  );
}
