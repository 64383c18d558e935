import { useExtensions, usePermissions, type NavExtension } from '@atrium/frontend-plugin-api';
import { NavLink, Stack } from '@mantine/core';
import { IconHome } from '@tabler/icons-react';
import { Link, useMatch } from 'react-router';

const HOME_ITEM: NavExtension = { title: 'Home', path: '/', icon: <IconHome size={18} stroke={1.6} /> };

/** Home, then the plugins' nav entries in their declared order. */
export function SidebarNav(props: { onNavigate?: () => void }) {
  const { nav } = useExtensions();
  // Entries that name a permission show once the caller is known to hold it (one batched check).
  const allowed = usePermissions(nav.map((item) => item.permission));
  const visible = nav.filter((_, i) => allowed[i]?.allowed);
  return (
    <Stack gap={4}>
      {[HOME_ITEM, ...visible].map((item) => (
        <SidebarNavLink key={item.path} item={item} onNavigate={props.onNavigate} />
      ))}
    </Stack>
  );
}

function SidebarNavLink(props: { item: NavExtension; onNavigate?: () => void }) {
  const { item } = props;
  // Home is active only on "/"; a plugin's entry stays active on its sub-pages.
  const active = useMatch({ path: item.path, end: item.path === '/' }) !== null;
  return (
    <NavLink
      component={Link}
      to={item.path}
      label={item.title}
      leftSection={item.icon}
      active={active}
      aria-current={active ? 'page' : undefined}
      onClick={props.onNavigate}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
    />
  );
}
