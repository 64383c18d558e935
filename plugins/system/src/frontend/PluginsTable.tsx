import { DataTable, EmptyState, StatusBadge, formatMilliseconds, statusTone, type DataTableColumn } from '@atrium/ui';
import { Stack, Text } from '@mantine/core';
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
    <DataTable
      label="Installed plugins"
      rows={props.plugins}
      columns={PLUGIN_COLUMNS}
      rowKey={(p) => p.id}
      rowAttributes={(p) => ({ 'data-plugin-id': p.id })}
      highlightOnHover
    />
  );
}

const PLUGIN_COLUMNS: Array<DataTableColumn<PluginInfo>> = [
  {
    id: 'plugin',
    header: 'Plugin',
    primary: true,
    cell: (plugin) => (
      <Text fw={600} size="sm">
        {plugin.id}
      </Text>
    ),
  },
  { id: 'status', header: 'Status', card: 'aside', cell: (plugin) => <StatusWithMessage status={plugin.status} message={plugin.error} /> },
  { id: 'health', header: 'Health', cell: (plugin) => <StatusWithMessage status={plugin.health.status} message={plugin.health.message} /> },
  { id: 'startup', header: 'Start-up', nowrap: true, cell: (plugin) => (plugin.startupMs === undefined ? null : formatMilliseconds(plugin.startupMs)) },
  { id: 'deps', header: 'Depends on', cell: (plugin) => (plugin.dependsOn.length > 0 ? plugin.dependsOn.join(', ') : null) },
  { id: 'migrations', header: 'Migrations', cell: (plugin) => <PluginMigrations migrations={plugin.migrations} /> },
];

function StatusWithMessage(props: { status: string; message?: string }) {
  return (
    <Stack gap={4} align="flex-start">
      <StatusBadge status={props.status} />
      {props.message && (
        <Text size="xs" c={statusTone(props.status) === 'danger' ? 'red' : 'dimmed'} style={{ overflowWrap: 'anywhere' }}>
          {props.message}
        </Text>
      )}
    </Stack>
  );
}
