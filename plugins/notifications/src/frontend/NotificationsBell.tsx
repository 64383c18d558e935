import { ActionIcon, Indicator } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useNotificationsLive, useUnreadNotificationsCount } from './api';

/** The shell's bell: a link to /notifications carrying the unread count, kept live over SSE. */
export function NotificationsBell() {
  useNotificationsLive();
  const { data: count = 0 } = useUnreadNotificationsCount();
  const label = count > 0 ? `Notifications, ${count} unread` : 'Notifications';
  return (
    <Indicator label={count > 99 ? '99+' : count} size={16} disabled={count === 0} offset={4} color="red">
      <ActionIcon component={Link} to="/notifications" variant="default" size="lg" aria-label={label} title={label}>
        <IconBell size={20} stroke={1.6} aria-hidden />
      </ActionIcon>
    </Indicator>
  );
}
