import { DataTable, EmptyState, RelativeTime, StatusBadge, formatDuration, formatMilliseconds, type DataTableColumn } from '@atrium/ui';
import { Group, Text } from '@mantine/core';
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
  return <DataTable label="Scheduled jobs" rows={props.jobs} columns={JOB_COLUMNS} rowKey={(job) => job.id} highlightOnHover />;
}

const JOB_COLUMNS: Array<DataTableColumn<JobInfo>> = [
  {
    id: 'job',
    header: 'Job',
    primary: true,
    cell: (job) => (
      <Text fw={600} ff="monospace" size="sm">
        {job.id}
      </Text>
    ),
  },
  { id: 'plugin', header: 'Plugin', cell: (job) => job.pluginId },
  { id: 'interval', header: 'Interval', nowrap: true, cell: (job) => `every ${formatDuration(job.intervalSeconds)}` },
  { id: 'last', header: 'Last run', cell: (job) => <LastRun job={job} /> },
  {
    id: 'next',
    header: 'Next run',
    cell: (job) =>
      job.running ? <StatusBadge status="running" tone="info" label="running now" /> : job.nextRunAt ? <RelativeTime value={job.nextRunAt} /> : null,
  },
  {
    id: 'error',
    header: 'Last error',
    cell: (job) =>
      job.lastError ? (
        <Text size="xs" c="red" style={{ overflowWrap: 'anywhere' }}>
          {job.lastError}
        </Text>
      ) : null,
  },
];

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
