import { Box, List, Text } from '@mantine/core';
import type { PluginMigration } from '../common';

/** "3 applied, 1 pending" with the names behind a disclosure. */
export function PluginMigrations(props: { migrations: PluginMigration[] }) {
  const { migrations } = props;
  if (migrations.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        None
      </Text>
    );
  }
  const pending = migrations.filter((m) => m.appliedAt === null).length;
  const summary = `${migrations.length - pending} applied${pending > 0 ? `, ${pending} pending` : ''}`;
  return (
    <Box component="details" fz="sm">
      <Box component="summary" style={{ cursor: 'pointer' }} c={pending > 0 ? 'yellow.8' : undefined}>
        {summary}
      </Box>
      <List size="xs" mt={4} spacing={2} listStyleType="none" ff="monospace">
        {migrations.map((m) => (
          <List.Item key={m.name} title={m.appliedAt ?? 'pending'}>
            {m.appliedAt === null ? '○' : '●'} {m.name}
          </List.Item>
        ))}
      </List>
    </Box>
  );
}
