import { PageLayout, QueryBoundary, SectionCard } from '@atrium/ui';
import { Badge, Button, Stack } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { JobsTable } from './JobsTable';
import { PluginsTable } from './PluginsTable';
import { RuntimeSummary } from './RuntimeSummary';
import { SYSTEM_INFO_REFRESH_MS, useSystemInfo } from './useSystemInfo';

/** The admin page at /system: the server, its database, plugins and scheduled jobs. */
export default function SystemPage() {
  const query = useSystemInfo();
  return (
    <PageLayout
      title="System"
      subtitle={`The running Atrium server, its plugins and scheduled jobs. Refreshes every ${SYSTEM_INFO_REFRESH_MS / 1000} seconds.`}
      actions={
        <Button variant="default" size="sm" leftSection={<IconRefresh size={16} aria-hidden />} loading={query.isFetching} onClick={() => void query.refetch()}>
          Refresh
        </Button>
      }
    >
      <QueryBoundary query={query} loadingLabel="Loading system information…" errorTitle="Could not load system information">
        {(info) => (
          <Stack gap="lg">
            <RuntimeSummary info={info} />
            <SectionCard title="Plugins" actions={<CountBadge count={info.plugins.length} label="plugins" />}>
              <PluginsTable plugins={info.plugins} />
            </SectionCard>
            <SectionCard title="Scheduled jobs" actions={<CountBadge count={info.jobs.length} label="jobs" />}>
              <JobsTable jobs={info.jobs} />
            </SectionCard>
          </Stack>
        )}
      </QueryBoundary>
    </PageLayout>
  );
}

function CountBadge(props: { count: number; label: string }) {
  return (
    <Badge variant="default" radius="sm" aria-label={`${props.count} ${props.label}`}>
      {props.count}
    </Badge>
  );
}
