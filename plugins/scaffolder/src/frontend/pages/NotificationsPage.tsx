import { EmptyState, PageLayout, QueryBoundary, RelativeTime, StatusBadge } from '@atrium/ui';
import { Anchor, Card, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useNotifications } from '../api';

/** /create/notifications: in-app notifications sent by templates (notification:send). */
export default function NotificationsPage() {
  const [scope, setScope] = useState<'mine' | 'all'>('mine');
  const query = useNotifications(scope === 'all');
  return (
    <PageLayout title="Notifications" subtitle="Messages that template runs sent with notification:send.">
      <SegmentedControl w={200} value={scope} onChange={(v) => setScope(v as 'mine' | 'all')} data={[{ value: 'mine', label: 'For me' }, { value: 'all', label: 'All' }]} />
      <QueryBoundary
        query={query}
        loadingLabel="Loading notifications…"
        isEmpty={(d) => d.notifications.length === 0}
        empty={<EmptyState title="No notifications" description="Templates with a notification:send step deliver their messages here." />}
      >
        {(data) => (
          <Stack gap="sm">
            {data.notifications.map((n) => (
              <Card key={n.id} withBorder padding="sm">
                <Group justify="space-between" wrap="nowrap">
                  <Text fw={600}>{n.link ? <Anchor component={Link} to={n.link}>{n.title}</Anchor> : n.title}</Text>
                  <Group gap="xs" wrap="nowrap">
                    <StatusBadge status={n.severity === 'high' || n.severity === 'critical' ? 'warning' : 'info'} label={n.severity} />
                    <Text size="xs" c="dimmed">
                      <RelativeTime value={n.createdAt} />
                    </Text>
                  </Group>
                </Group>
                {n.description && <Text size="sm">{n.description}</Text>}
                <Text size="xs" c="dimmed">
                  To {n.recipients.join(', ')}
                  {n.taskId ? (
                    <>
                      {' · '}
                      <Anchor component={Link} to={`/create/tasks/${n.taskId}`} size="xs">
                        task
                      </Anchor>
                    </>
                  ) : null}
                </Text>
              </Card>
            ))}
          </Stack>
        )}
      </QueryBoundary>
    </PageLayout>
  );
}
