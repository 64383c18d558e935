import { AppShell, Container, useMantineTheme } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useEffect } from 'react';
import { Outlet, useLocation } from 'react-router';
import { AppHeader } from './AppHeader';
import { SidebarNav } from './SidebarNav';
import { SkipLink } from './SkipLink';

export const MAIN_CONTENT_ID = 'main-content';

/** The frame around every page: header, plugin-contributed sidebar, and the page itself. */
export function AppLayout() {
  const [navOpened, nav] = useDisclosure(false);
  const { pathname } = useLocation();
  const closeNav = nav.close;
  const theme = useMantineTheme();
  // Below the `sm` breakpoint the sidebar is a menu behind the burger. Closed, it is moved off
  // screen; it must also leave the tab order and the accessibility tree.
  const narrow = useMediaQuery(`(max-width: calc(${theme.breakpoints.sm} - 0.0625em))`, false, { getInitialValueInEffect: false });
  const navHidden = narrow && !navOpened;

  // A new page starts at the top; the mobile menu also closes on back/forward navigation.
  useEffect(() => {
    window.scrollTo(0, 0);
    closeNav();
  }, [pathname, closeNav]);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }} padding="lg">
      <SkipLink targetId={MAIN_CONTENT_ID} />
      <AppShell.Header>
        <AppHeader navOpened={navOpened} onToggleNav={nav.toggle} />
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation" inert={navHidden} style={navHidden ? { visibility: 'hidden' } : undefined}>
        <SidebarNav onNavigate={closeNav} />
      </AppShell.Navbar>
      <AppShell.Main id={MAIN_CONTENT_ID} tabIndex={-1} style={{ outline: 'none' }}>
        <Container size="xl" px={0}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
