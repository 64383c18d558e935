import { ActionIcon, Group, Kbd, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useDisclosure, useHotkeys, useOs } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { SearchPalette } from './SearchPalette';
import classes from './SearchLauncher.module.css';

/**
 * The header's search button and the palette behind it. Cmd-K (macOS) or Ctrl-K opens the
 * palette from any page, also while typing in a field.
 */
export function SearchLauncher() {
  const [opened, palette] = useDisclosure(false);
  const os = useOs();
  const mac = os === 'macos' || os === 'ios';
  const shortcut = mac ? '⌘ K' : 'Ctrl K';
  const label = `Search (${mac ? '⌘K' : 'Ctrl+K'})`;
  useHotkeys([['mod+K', () => palette.open()]], []);

  return (
    <>
      <UnstyledButton className={classes.button} onClick={palette.open} aria-label={label} aria-keyshortcuts={mac ? 'Meta+K' : 'Control+K'} visibleFrom="sm">
        <Group gap="xs" wrap="nowrap">
          <IconSearch size={16} aria-hidden />
          <Text size="sm" c="dimmed" className={classes.text}>
            Search…
          </Text>
          <Kbd size="xs">{shortcut}</Kbd>
        </Group>
      </UnstyledButton>
      <Tooltip label="Search">
        <ActionIcon variant="default" size="lg" aria-label={label} onClick={palette.open} hiddenFrom="sm">
          <IconSearch size={18} aria-hidden />
        </ActionIcon>
      </Tooltip>
      <SearchPalette opened={opened} onClose={palette.close} />
    </>
  );
}
