import { EmptyState, StatusBadge, formatMilliseconds, statusTone } from '@atrium/ui';
import { Stack, Table, Text } from '@mantine/core';
import { IconPlug } from '@tabler/icons-react';
import type { PluginInfo } from '../common';
import { PluginMigrations } from './PluginMigrations';

/** The installed backend plugins: lifecycle, health, start-up time, dependencies, migrations. */
export function PluginsTable(props: { plugins: PluginInfo[] }) {
  if (props.plugins.length === 0) {
    return (
      <EmptyState
        compact
        icon={<IconPlug aria-hidden />}
        title="No plugins are installed"
        description="Add a plugin to the backend's plugin list and restart Atrium."
      />
    );
  }
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table aria-label="Installed plugins" verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>Plugin</Table.Th>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>Status</Table.Th>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>Health</Table.Th>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>Start-up</Table.Th>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>Depends on</Table.Th>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>Migrations</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.plugins.map((plugin) => (
            <Table.Tr key={plugin.id} data-plugin-id={plugin.id}>
              <Table.Th scope="row" fw={600}>
                {plugin.id}
              </Table.Th>
              <Table.Td>
                <StatusWithMessage status={plugin.status} message={plugin.error} />
              </Table.Td>
              <Table.Td>
                <StatusWithMessage status={plugin.health.status} message={plugin.health.message} />
              </Table.Td>
              <Table.Td>{plugin.startupMs === undefined ? '—' : formatMilliseconds(plugin.startupMs)}</Table.Td>
              <Table.Td>{plugin.dependsOn.length > 0 ? plugin.dependsOn.join(', ') : '—'}</Table.Td>
              <Table.Td>
                <PluginMigrations migrations={plugin.migrations} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function StatusWithMessage(props: { status: string; message?: string }) {
  return (
    <Stack gap={4} align="flex-start">
      <StatusBadge status={props.status} />
      {props.message && (
        <Text size="xs" c={statusTone(props.status) === 'danger' ? 'red' : 'dimmed'} maw={260} style={{ overflowWrap: 'anywhere' }}>
          {props.message}
        </Text>
      )}
    </Stack>
  );
}
