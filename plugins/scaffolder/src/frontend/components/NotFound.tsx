import { isApiError } from '@atrium/frontend-plugin-api';
import { EmptyState, PageLayout } from '@atrium/ui';
import { IconMapSearch } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** The API said 404: the thing asked for does not exist (retrying will not help). */
export function isNotFound(error: unknown): boolean {
  return isApiError(error) && error.status === 404;
}

/** A page for something that does not exist: what was asked for and where to go instead, no raw API details. */
export function NotFoundPage(props: { title: string; message: string; description: ReactNode; action: ReactNode }) {
  return (
    <PageLayout title={props.title}>
      <EmptyState icon={<IconMapSearch aria-hidden />} title={props.message} description={props.description} action={props.action} />
    </PageLayout>
  );
}
