import { Burger, Group, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { Logo } from './Logo';
import { UserMenu } from './UserMenu';
import { headerWidgets } from '../plugins';

export function AppHeader(props: { navOpened: boolean; onToggleNav: () => void }) {
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Burger
          opened={props.navOpened}
          onClick={props.onToggleNav}
          hiddenFrom="sm"
          size="sm"
          aria-label={props.navOpened ? 'Close navigation' : 'Open navigation'}
        />
        <UnstyledButton component={Link} to="/" aria-label="Atrium home">
          <Group gap={10} wrap="nowrap">
            <Logo />
            <Text fw={700} size="lg">
              Atrium
            </Text>
          </Group>
        </UnstyledButton>
      </Group>
      <Group gap="xs" wrap="nowrap">
        {headerWidgets.map((Widget, i) => (
          <Widget key={i} />
        ))}
        <ColorSchemeToggle />
        <UserMenu />
      </Group>
    </Group>
  );
}
