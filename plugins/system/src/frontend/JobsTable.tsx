import { EmptyState, RelativeTime, StatusBadge, formatDuration, formatMilliseconds } from '@atrium/ui';
import { Group, Table, Text } from '@mantine/core';
import { IconClockPlay } from '@tabler/icons-react';
import type { JobInfo } from '../common';

/** Recurring jobs registered by plugins, with their last and next run. */
export function JobsTable(props: { jobs: JobInfo[] }) {
  if (props.jobs.length === 0) {
    return (
      <EmptyState
        compact
        icon={<IconClockPlay aria-hidden />}
        title="No scheduled jobs"
        description="Plugins register recurring jobs with the scheduler service; none are registered yet."
      />
    );
  }
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table aria-label="Scheduled jobs" verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>Job</Table.Th>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>Plugin</Table.Th>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>Interval</Table.Th>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>Last run</Table.Th>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>Next run</Table.Th>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>Last error</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.jobs.map((job) => (
            <Table.Tr key={job.id}>
              <Table.Th scope="row" fw={600} ff="monospace" fz="sm">
                {job.id}
              </Table.Th>
              <Table.Td>{job.pluginId}</Table.Td>
              <Table.Td>every {formatDuration(job.intervalSeconds)}</Table.Td>
              <Table.Td>
                <LastRun job={job} />
              </Table.Td>
              <Table.Td>
                {job.running ? (
                  <StatusBadge status="running" tone="info" label="running now" />
                ) : job.nextRunAt ? (
                  <RelativeTime value={job.nextRunAt} />
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>
                {job.lastError ? (
                  <Text size="xs" c="red" maw={280} style={{ overflowWrap: 'anywhere' }}>
                    {job.lastError}
                  </Text>
                ) : (
                  '—'
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function LastRun(props: { job: JobInfo }) {
  const { lastRunAt, lastStatus, lastDurationMs } = props.job;
  if (!lastRunAt) {
    return (
      <Text size="sm" c="dimmed">
        Not run yet
      </Text>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      {lastStatus && <StatusBadge status={lastStatus} />}
      <Text size="sm" span>
        <RelativeTime value={lastRunAt} />
        {lastDurationMs !== null && (
          <Text span c="dimmed" size="xs">
            {' '}
            ({formatMilliseconds(lastDurationMs)})
          </Text>
        )}
      </Text>
    </Group>
  );
}
