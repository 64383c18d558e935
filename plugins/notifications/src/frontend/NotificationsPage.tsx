import { usePermission } from '@atrium/frontend-plugin-api';
import { EmptyState, PageLayout, QueryBoundary, RelativeTime, StatusBadge } from '@atrium/ui';
import { Anchor, Badge, Button, Card, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { IconChecks } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import type { Notification } from '../common';
import { useNotificationActions, useNotificationList } from './api';
import { NotificationsTabs } from './NotificationsTabs';
import { safeLink } from './safeLink';

const SEVERITY_TONE = { low: 'neutral', normal: 'info', high: 'warning', critical: 'danger' } as const;

/** /notifications: what concerns the caller, from every plugin; filters live in the URL. */
export default function NotificationsPage() {
  const [params, setParams] = useSearchParams();
  const unread = params.get('unread') === 'true';
  const source = params.get('source') ?? '';
  const entityRef = params.get('entityRef') ?? '';
  const query = useNotificationList({ unread, source, entityRef });
  // Sources to filter by: those in the caller's notifications (the unfiltered list), plus the current one.
  const everything = useNotificationList({});
  const sources = [...new Set([...(everything.data?.items ?? []).map((n) => n.source), ...(source ? [source] : [])])].sort();
  const { markRead, markAllRead } = useNotificationActions();
  // Marking read needs notifications.notification.update; without it the buttons are not shown.
  const canUpdate = usePermission('notifications.notification.update').allowed;
  const setParam = (key: string, value: string | undefined) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });
  return (
    <PageLayout
      title="Notifications"
      subtitle="Level drops, deadlines and template runs that concern you or your teams."
      actions={
        canUpdate ? (
          <Button
            variant="default"
            leftSection={<IconChecks size={16} aria-hidden />}
            loading={markAllRead.isPending}
            disabled={!query.data?.unreadCount}
            onClick={() => markAllRead.mutate()}
          >
            Mark all read
          </Button>
        ) : undefined
      }
    >
      <NotificationsTabs active="inbox" />
      <Group gap="sm" wrap="wrap">
        <SegmentedControl
          aria-label="Which notifications"
          value={unread ? 'unread' : 'all'}
          onChange={(v) => setParam('unread', v === 'unread' ? 'true' : undefined)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'unread', label: 'Unread' },
          ]}
        />
        <Select
          aria-label="Source"
          placeholder="Every source"
          data={sources}
          value={source || null}
          onChange={(v) => setParam('source', v ?? undefined)}
          clearable
          w={200}
        />
        {entityRef && (
          <Badge
            variant="light"
            size="lg"
            rightSection={
              <Anchor component="button" type="button" size="xs" aria-label="Show every entity" onClick={() => setParam('entityRef', undefined)}>
                ×
              </Anchor>
            }
          >
            About {entityRef}
          </Badge>
        )}
      </Group>
      <QueryBoundary
        query={query}
        loadingLabel="Loading notifications…"
        errorTitle="Could not load notifications"
        isEmpty={(d) => d.items.length === 0}
        empty={<EmptyState title={unread ? 'Nothing unread' : 'No notifications'} description="Plugins deliver messages for you and your teams here." />}
      >
        {(data) => (
          <Stack gap="sm" aria-label="Notifications list">
            <Text size="sm" c="dimmed">
              {data.unreadCount} unread of {data.totalCount}
            </Text>
            {data.items.map((n) => (
              <NotificationCard
                key={n.id}
                notification={n}
                onRead={canUpdate ? () => markRead.mutate(n.id) : undefined}
                onSource={() => setParam('source', n.source)}
                onEntity={() => n.entityRef && setParam('entityRef', n.entityRef)}
              />
            ))}
          </Stack>
        )}
      </QueryBoundary>
    </PageLayout>
  );
}

function NotificationCard(props: { notification: Notification; onRead?: (() => void) | undefined; onSource: () => void; onEntity: () => void }) {
  const n = props.notification;
  const link = safeLink(n.link);
  // Following a notification's link reads it.
  const followed = () => {
    if (!n.readAt) props.onRead?.();
  };
  return (
    <Card withBorder padding="sm" data-unread={n.readAt ? undefined : 'true'} aria-label={`${n.readAt ? '' : 'Unread: '}${n.title}`} component="article">
      <Group justify="space-between" wrap="wrap" gap="xs" align="flex-start">
        <Text fw={n.readAt ? 400 : 700} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
          {!link ? (
            n.title
          ) : link.external ? (
            <Anchor href={link.href} target="_blank" rel="noopener noreferrer" onClick={followed}>
              {n.title}
            </Anchor>
          ) : (
            <Anchor component={Link} to={link.href} onClick={followed}>
              {n.title}
            </Anchor>
          )}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <StatusBadge status={n.severity} tone={SEVERITY_TONE[n.severity]} label={n.severity[0]!.toUpperCase() + n.severity.slice(1)} />
          <Text size="xs" c="dimmed">
            <RelativeTime value={n.updatedAt} />
          </Text>
        </Group>
      </Group>
      {n.description && (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {n.description}
        </Text>
      )}
      <Group justify="space-between" gap="xs" mt={4}>
        <Group gap="xs">
          <Anchor component="button" type="button" size="xs" c="dimmed" onClick={props.onSource} aria-label={`Only notifications from ${n.source}`}>
            {n.source}
          </Anchor>
          {n.entityRef && (
            <Anchor component="button" type="button" size="xs" c="dimmed" onClick={props.onEntity} aria-label={`Only notifications about ${n.entityRef}`}>
              {n.entityRef}
            </Anchor>
          )}
        </Group>
        {!n.readAt && props.onRead && (
          <Button size="compact-xs" variant="subtle" onClick={props.onRead} aria-label={`Mark "${n.title}" read`}>
            Mark read
          </Button>
        )}
      </Group>
    </Card>
  );
}
