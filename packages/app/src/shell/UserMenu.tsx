import { isSignedIn, useCurrentUser } from '@atrium/frontend-plugin-api';
import { entityRoutePath } from '@atrium/ui';
import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconLogin2, IconLogout, IconSettings, IconUserCircle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { authQueryKeys, getSignInOptions, logout } from '../auth/authApi';
import { signInPathFor, SIGN_IN_PATH } from '../auth/returnTo';
import { initialsOf, useUserProfile } from '../auth/useUserProfile';

export interface UserMenuProps {
  /** Where the browser goes after signing out; a full page load (tests pass a spy). */
  navigate?: (url: string) => void;
}

/**
 * The header's user menu: who is signed in (avatar with initials fallback, name), a link to
 * their User entity, Settings, and Sign out. The guest sees "Guest" and, when a provider is
 * configured, "Sign in".
 */
export function UserMenu(props: UserMenuProps) {
  const navigate = props.navigate ?? ((url: string) => window.location.assign(url));
  const me = useCurrentUser();
  const user = me.data;
  const signedIn = isSignedIn(user);
  const profile = useUserProfile(signedIn ? user.userEntityRef : undefined);
  const options = useQuery({
    queryKey: authQueryKeys.providers,
    queryFn: ({ signal }) => getSignInOptions({ signal }),
    enabled: Boolean(user) && !signedIn,
    retry: false,
  });
  const location = useLocation();
  const [signOutError, setSignOutError] = useState<string>();

  if (!user) return null;
  const name = signedIn ? (profile.data?.displayName ?? user.displayName) : user.type === 'guest' ? 'Guest' : user.displayName;
  const profilePath = signedIn && profile.data?.inCatalog ? entityRoutePath(user.userEntityRef) : undefined;
  const canSignIn = !signedIn && (options.data?.providers.length ?? 0) > 0;

  const signOut = async () => {
    setSignOutError(undefined);
    try {
      await logout();
      navigate(SIGN_IN_PATH);
    } catch (error) {
      setSignOutError(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Account: ${name}`} data-testid="user-menu">
          <Group gap={8} wrap="nowrap">
            <Avatar src={profile.data?.picture} alt="" size={32} radius="xl" color="indigo">
              {initialsOf(name)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm" maw={160} truncate>
              {name}
            </Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {signedIn ? `Signed in as ${name}` : user.type === 'guest' ? 'Browsing as a guest' : `Signed in as ${name}`}
          {profile.data?.email && (
            <Text size="xs" c="dimmed" truncate>
              {profile.data.email}
            </Text>
          )}
        </Menu.Label>
        {profilePath && (
          <Menu.Item component={Link} to={profilePath} leftSection={<IconUserCircle size={16} aria-hidden />}>
            My profile
          </Menu.Item>
        )}
        <Menu.Item component={Link} to="/settings" leftSection={<IconSettings size={16} aria-hidden />}>
          Settings
        </Menu.Item>
        {(canSignIn || user.via === 'session') && <Menu.Divider />}
        {canSignIn && (
          <Menu.Item component="a" href={signInPathFor(`${location.pathname}${location.search}`)} leftSection={<IconLogin2 size={16} aria-hidden />}>
            Sign in
          </Menu.Item>
        )}
        {user.via === 'session' && (
          <Menu.Item closeMenuOnClick={false} onClick={() => void signOut()} leftSection={<IconLogout size={16} aria-hidden />}>
            Sign out
          </Menu.Item>
        )}
        {signOutError && (
          <Text role="alert" size="xs" c="red" px="sm" pb="xs">
            Sign-out failed: {signOutError}
          </Text>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
