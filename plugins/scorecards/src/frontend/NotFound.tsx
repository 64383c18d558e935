import { isApiError } from '@atrium/frontend-plugin-api';
import { PageLayout } from '@atrium/ui';
import { Button, Stack, Text } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { SCORECARDS_PATH } from './paths';

/** Whether a failed query means "there is no such thing" rather than "something broke". */
export const isNotFound = (error: unknown): boolean => isApiError(error) && error.status === 404;

/** A friendly page for a scorecard, rule, initiative or address that does not exist. */
export function NotFoundPage(props: { title: string; children: ReactNode }) {
  return (
    <PageLayout title={props.title}>
      <Stack gap="md" align="flex-start">
        <Text>{props.children}</Text>
        <Button component={Link} to={SCORECARDS_PATH} variant="default" leftSection={<IconArrowLeft size={16} aria-hidden />}>
          All scorecards
        </Button>
      </Stack>
    </PageLayout>
  );
}
