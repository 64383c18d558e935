import { Tabs } from '@mantine/core';
import { useNavigate } from 'react-router';

/** Inbox and Preferences: two pages under /notifications, as tabs. */
export function NotificationsTabs(props: { active: 'inbox' | 'preferences' }) {
  const navigate = useNavigate();
  return (
    <Tabs value={props.active} onChange={(v) => void navigate(v === 'preferences' ? '/notifications/preferences' : '/notifications')}>
      <Tabs.List aria-label="Notification sections">
        <Tabs.Tab value="inbox">Inbox</Tabs.Tab>
        <Tabs.Tab value="preferences">Preferences</Tabs.Tab>
      </Tabs.List>
    </Tabs>
  );
}
