import { PageLayout } from '@atrium/ui';
import { Button, Code, Stack, Text } from '@mantine/core';
import { IconHome } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <PageLayout title="Page not found">
      <Stack gap="md" align="flex-start">
        <Text>
          There is no page at <Code>{pathname}</Code>. The address may be mistyped, or the plugin that provides this
          page is not installed.
        </Text>
        <Button component={Link} to="/" leftSection={<IconHome size={16} aria-hidden />}>
          Go to the home page
        </Button>
      </Stack>
    </PageLayout>
  );
}
