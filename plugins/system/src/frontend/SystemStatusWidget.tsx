import { QueryBoundary, StatusBadge } from '@atrium/ui';
import { Anchor, Group, List, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { summarizeHealth, type HealthSummary } from './healthSummary';
import { useSystemInfo } from './useSystemInfo';

/** Home widget: are all plugins healthy, and which are not. */
export default function SystemStatusWidget() {
  const query = useSystemInfo();
  return (
    <Stack gap="sm">
      <QueryBoundary query={query} compact loadingLabel="Checking plugins…" errorTitle="Could not check system status">
        {(info) => <HealthSummaryView summary={summarizeHealth(info)} />}
      </QueryBoundary>
      <Anchor component={Link} to="/system" size="sm">
        View system details
      </Anchor>
    </Stack>
  );
}

function HealthSummaryView(props: { summary: HealthSummary }) {
  const { overall, pluginCount, problems, failingJobIds } = props.summary;
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <StatusBadge status={overall} size="md" label={OVERALL_LABELS[overall]} />
        <Text size="sm">{headline(props.summary)}</Text>
      </Group>
      {problems.length > 0 && (
        <List spacing="xs" size="sm" listStyleType="none" aria-label="Plugins with problems">
          {problems.map((problem) => (
            <List.Item key={problem.pluginId}>
              <Group gap={6} wrap="nowrap">
                <StatusBadge status={problem.status} />
                <Text size="sm" fw={600}>
                  {problem.pluginId}
                </Text>
              </Group>
              {problem.message && (
                <Text size="xs" c="dimmed" lineClamp={2} title={problem.message}>
                  {problem.message}
                </Text>
              )}
            </List.Item>
          ))}
        </List>
      )}
      {failingJobIds.length > 0 && (
        <Text size="sm" c="dimmed">
          Last run failed: {failingJobIds.join(', ')}
        </Text>
      )}
      {pluginCount === 0 && (
        <Text size="sm" c="dimmed">
          No backend plugins are installed.
        </Text>
      )}
    </Stack>
  );
}

// "down" overall means some plugin is down, not the whole server, hence a softer word.
const OVERALL_LABELS = { ok: 'healthy', degraded: 'degraded', down: 'failing' } as const;

function headline(summary: HealthSummary): string {
  const { pluginCount, problems } = summary;
  if (problems.length === 0) {
    return `All ${pluginCount} ${pluginCount === 1 ? 'plugin is' : 'plugins are'} healthy.`;
  }
  return `${problems.length} of ${pluginCount} ${pluginCount === 1 ? 'plugin needs' : 'plugins need'} attention.`;
}
