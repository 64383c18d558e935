import { Alert, Anchor, Text } from '@mantine/core';
import { IconClockExclamation } from '@tabler/icons-react';
import { errorMessage } from './errorMessage';

/** Says that the data shown is old because refreshing it failed. */
export function StaleDataNotice(props: { error: unknown; updatedAt?: number; onRetry: () => void }) {
  const since = props.updatedAt ? ` from ${new Date(props.updatedAt).toLocaleTimeString()}` : '';
  return (
    <Alert role="status" color="yellow" variant="light" p="xs" icon={<IconClockExclamation size={18} aria-hidden />}>
      <Text size="sm">
        Showing data{since}; refreshing failed: {errorMessage(props.error)}{' '}
        <Anchor component="button" type="button" size="sm" onClick={props.onRetry}>
          Retry now
        </Anchor>
      </Text>
    </Alert>
  );
}
