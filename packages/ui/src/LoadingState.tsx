import { Center, Group, Loader, Text } from '@mantine/core';

/** A spinner with a label, announced politely to screen readers. */
export function LoadingState(props: { label?: string; compact?: boolean }) {
  const label = props.label ?? 'Loading…';
  return (
    <Center py={props.compact ? 'sm' : 'xl'} role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size={props.compact ? 'xs' : 'sm'} aria-hidden />
        <Text c="dimmed" size="sm">
          {label}
        </Text>
      </Group>
    </Center>
  );
}
