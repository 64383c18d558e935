import { isApiError } from '@atrium/frontend-plugin-api';
import { NotFoundPage } from '@atrium/ui';
import { Button } from '@mantine/core';
import { IconTargetArrow } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { SCORECARDS_PATH } from './paths';

/** Whether a failed query means "there is no such thing" rather than "something broke". */
export const isNotFound = (error: unknown): boolean => isApiError(error) && error.status === 404;

/** The shared not-found page, for a scorecard, rule, initiative or address under /scorecards, with a way back. */
export function ScorecardsNotFound(props: { title?: string; children?: ReactNode }) {
  return (
    <NotFoundPage
      {...(props.title ? { title: props.title } : {})}
      {...(props.children ? { description: props.children } : {})}
      actions={
        <Button component={Link} to={SCORECARDS_PATH} leftSection={<IconTargetArrow size={16} aria-hidden />}>
          All scorecards
        </Button>
      }
    />
  );
}
