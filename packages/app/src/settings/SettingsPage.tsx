import { PageLayout } from '@atrium/ui';
import { Tabs } from '@mantine/core';
import { IconKey, IconDevices, IconPalette } from '@tabler/icons-react';
import { useLocation, useNavigate } from 'react-router';
import { AppearanceSettings } from './AppearanceSettings';
import { SessionsSettings } from './SessionsSettings';
import { TokensSettings } from './TokensSettings';

const TABS = [
  { value: 'appearance', path: '/settings', label: 'Appearance', icon: IconPalette },
  { value: 'tokens', path: '/settings/tokens', label: 'API tokens', icon: IconKey },
  { value: 'sessions', path: '/settings/sessions', label: 'Sessions', icon: IconDevices },
] as const;

type TabValue = (typeof TABS)[number]['value'];

/** The tab a settings path shows; unknown sub-paths show the first. */
export function settingsTabFor(pathname: string): TabValue {
  const match = TABS.find((t) => t.path !== '/settings' && (pathname === t.path || pathname.startsWith(`${t.path}/`)));
  return match?.value ?? 'appearance';
}

/** `/settings`, `/settings/tokens`, `/settings/sessions`: each tab has its own URL. */
export function SettingsPage() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const tab = settingsTabFor(pathname);
  const current = TABS.find((t) => t.value === tab) ?? TABS[0];
  return (
    <PageLayout title="Settings" documentTitle={`${current.label} · Settings`} subtitle="Your theme, API tokens and signed-in devices.">
      <Tabs value={tab} onChange={(value) => navigate(TABS.find((t) => t.value === value)?.path ?? '/settings')} keepMounted={false}>
        <Tabs.List aria-label="Settings sections">
          {TABS.map(({ value, label, icon: Icon }) => (
            <Tabs.Tab key={value} value={value} leftSection={<Icon size={16} aria-hidden />}>
              {label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="appearance" pt="lg">
          <AppearanceSettings />
        </Tabs.Panel>
        <Tabs.Panel value="tokens" pt="lg">
          <TokensSettings />
        </Tabs.Panel>
        <Tabs.Panel value="sessions" pt="lg">
          <SessionsSettings />
        </Tabs.Panel>
      </Tabs>
    </PageLayout>
  );
}
