import { Alert, Button, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { errorDetail, errorMessage } from './errorMessage';

export interface ErrorStateProps {
  error: unknown;
  title?: string;
  /** Shows a "Try again" button. */
  onRetry?: () => void;
  retryLabel?: string;
  /** Extra content below the message, e.g. a hint what to check. */
  children?: ReactNode;
}

/** Shows what went wrong, in the server's words when the error came from the API. */
export function ErrorState(props: ErrorStateProps) {
  const detail = errorDetail(props.error);
  return (
    <Alert role="alert" color="red" variant="light" title={props.title ?? 'Something went wrong'} icon={<IconAlertTriangle aria-hidden />}>
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(props.error)}</Text>
        {detail !== undefined && (
          <Text size="xs" c="dimmed" ff="monospace">
            {detail}
          </Text>
        )}
        {props.children}
        {props.onRetry && (
          <Button size="xs" variant="default" leftSection={<IconRefresh size={14} aria-hidden />} onClick={props.onRetry}>
            {props.retryLabel ?? 'Try again'}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
