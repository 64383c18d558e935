import { EmptyState, EntityRefLinks, PageLayout, QueryBoundary, RelativeTime, StatusBadge } from '@atrium/ui';
import { Anchor, Card, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useNotifications } from '../api';
import { isExternalHref, safeHref } from '../display/safeHref';

/** /create/notifications: in-app notifications sent by templates (notification:send). */
export default function NotificationsPage() {
  const [scope, setScope] = useState<'mine' | 'all'>('mine');
  const query = useNotifications(scope === 'all');
  return (
    <PageLayout title="Notifications" subtitle="Messages that template runs sent with notification:send.">
      <SegmentedControl aria-label="Whose notifications" w={200} value={scope} onChange={(v) => setScope(v as 'mine' | 'all')} data={[{ value: 'mine', label: 'For me' }, { value: 'all', label: 'All' }]} />
      <QueryBoundary
        query={query}
        loadingLabel="Loading notifications…"
        errorTitle="Could not load notifications"
        isEmpty={(d) => d.notifications.length === 0}
        empty={<EmptyState title="No notifications" description="Templates with a notification:send step deliver their messages here." />}
      >
        {(data) => (
          <Stack gap="sm">
            {data.notifications.map((n) => (
              <Card key={n.id} withBorder padding="sm">
                <Group justify="space-between" wrap="wrap" gap="xs" align="flex-start">
                  <Text fw={600} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                    <NotificationTitle title={n.title} link={n.link} />
                  </Text>
                  <Group gap="xs" wrap="nowrap">
                    <StatusBadge status={n.severity} tone={n.severity === 'high' || n.severity === 'critical' ? 'warning' : 'info'} label={severityLabel(n.severity)} />
                    <Text size="xs" c="dimmed">
                      <RelativeTime value={n.createdAt} />
                    </Text>
                  </Group>
                </Group>
                {n.description && (
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {n.description}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  To <EntityRefLinks entityRefs={n.recipients} size="xs" />
                  {n.taskId ? (
                    <>
                      {' · '}
                      <Anchor component={Link} to={`/create/tasks/${n.taskId}`} size="xs">
                        the run that sent it
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

/** `normal` → `Normal`: the severity in words. */
function severityLabel(severity: string): string {
  return severity ? severity[0]!.toUpperCase() + severity.slice(1).replace(/[-_]+/g, ' ') : 'Normal';
}

/** The title, linked when the link is http(s) or a path in the app (a template sets it). */
function NotificationTitle(props: { title: string; link?: string | undefined }) {
  const href = safeHref(props.link);
  if (!href) return <>{props.title}</>;
  return isExternalHref(href) ? (
    <Anchor href={href} target="_blank" rel="noopener noreferrer">
      {props.title}
    </Anchor>
  ) : (
    <Anchor component={Link} to={href}>
      {props.title}
    </Anchor>
  );
}
