import { RelativeTime, StatusBadge, formatMilliseconds } from '@atrium/ui';
import { Badge, Button, Drawer, Group, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconFileText, IconRefresh } from '@tabler/icons-react';
import type { BuildLogLevel, DocsEntityDetail, EntityTriplet } from '../../common';
import { useRequestBuild } from '../api';
import { STATUS_LABEL, STATUS_TONE } from '../status';

const LEVEL_COLOR: Record<BuildLogLevel, string> = { info: 'gray', warning: 'yellow', error: 'red' };

/** Build status, time and log of a site, with a button to rebuild it now. */
export function BuildPanel(props: { triplet: EntityTriplet; detail: DocsEntityDetail }) {
  const { build, log } = props.detail;
  const [logOpen, logDrawer] = useDisclosure(false);
  const rebuild = useRequestBuild(props.triplet);
  const busy = build.status === 'queued' || build.status === 'building';
  const problems = build.warningCount + build.errorCount;
  return (
    <Group gap="xs" wrap="wrap" justify="flex-end">
      <StatusBadge status={build.status} label={STATUS_LABEL[build.status]} tone={STATUS_TONE[build.status]} size="md" />
      {build.builtAt && (
        <Text size="xs" c="dimmed">
          Built <RelativeTime value={build.builtAt} />
          {build.lastBuildDurationMs !== null ? ` in ${formatMilliseconds(build.lastBuildDurationMs)}` : ''}
        </Text>
      )}
      <Button
        variant="default"
        size="xs"
        leftSection={<IconFileText size={14} aria-hidden />}
        onClick={logDrawer.open}
        rightSection={
          problems > 0 ? (
            <Badge size="xs" color={build.errorCount > 0 ? 'red' : 'yellow'} circle={problems < 10}>
              {problems}
            </Badge>
          ) : undefined
        }
      >
        Build log
      </Button>
      <Button
        variant="default"
        size="xs"
        leftSection={<IconRefresh size={14} aria-hidden />}
        loading={rebuild.isPending || busy}
        onClick={() => rebuild.mutate(true)}
      >
        Rebuild
      </Button>
      <Drawer opened={logOpen} onClose={logDrawer.close} position="right" size="xl" title={`Build log — ${props.detail.siteName ?? props.detail.title}`}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {build.lastBuildFinishedAt ? (
              <>
                Last build finished <RelativeTime value={build.lastBuildFinishedAt} />
                {build.lastResult ? ` (${build.lastResult})` : ''}: {build.warningCount} warnings, {build.errorCount} errors.
              </>
            ) : (
              'No build has finished yet.'
            )}
          </Text>
          {log.length > 0 && (
            <Table aria-label="Build log" verticalSpacing={4} fz="sm">
              <Table.Tbody>
                {log.map((entry, i) => (
                  <Table.Tr key={i}>
                    <Table.Td w={96} style={{ verticalAlign: 'top' }}>
                      <Badge size="xs" variant="light" color={LEVEL_COLOR[entry.level]} style={{ overflow: 'visible' }} miw={72}>
                        {entry.level}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {entry.file && (
                        <Text size="xs" ff="monospace" c="dimmed">
                          {entry.file}
                        </Text>
                      )}
                      <Text size="sm" style={{ wordBreak: 'break-word' }}>
                        {entry.message}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Drawer>
    </Group>
  );
}
