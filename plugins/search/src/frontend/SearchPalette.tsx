import { Box, Group, Kbd, Loader, Modal, Stack, Text, TextInput, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { errorMessage } from '@atrium/ui';
import { IconSearch } from '@tabler/icons-react';
import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { useSearch } from './api';
import { useTypingValue } from './useTypingValue';
import { Highlighted } from './Highlighted';
import { moveActive, paletteGroups, type PaletteItem } from './paletteItems';
import { readRecent, rememberRecent } from './recent';
import { searchPagePath } from './appPath';
import classes from './SearchPalette.module.css';

/**
 * At most one search per this many milliseconds: a key this long after the last search is searched
 * at once, so typing waits no debounce (results within 100 ms of the last key:
 * bench/search-palette.mjs); a sooner one (a burst, a held key) waits for the rest of it. A query still in flight when the next one starts is
 * cancelled, and the previous results stay on screen until the new ones arrive.
 */
export const PALETTE_DEBOUNCE_MS = 40;
const PALETTE_PAGE_LIMIT = 12;

export interface SearchPaletteProps {
  opened: boolean;
  onClose: () => void;
  /** For tests: how to navigate (defaults to the router's). */
  navigate?: (path: string) => void;
  /** For tests: at most one search per this many milliseconds (default PALETTE_DEBOUNCE_MS). */
  debounceMs?: number;
}

/** The Cmd-K / Ctrl-K dialog: recent items, results by type as you type, and shortcuts. */
export function SearchPalette(props: SearchPaletteProps) {
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      withCloseButton={false}
      size="lg"
      yOffset="10vh"
      padding={0}
      radius="md"
      trapFocus
      returnFocus
      // No opening animation: the input takes focus at once, so keys typed right after Ctrl-K count.
      transitionProps={{ duration: 0 }}
      closeOnEscape
      title={<VisuallyHidden>Search Atrium</VisuallyHidden>}
      styles={{ header: { display: 'none' } }}
    >
      {props.opened && <PaletteBody onClose={props.onClose} navigate={props.navigate} debounceMs={props.debounceMs ?? PALETTE_DEBOUNCE_MS} />}
    </Modal>
  );
}

function PaletteBody(props: { onClose: () => void; navigate?: (path: string) => void; debounceMs: number }) {
  const routerNavigate = useNavigate();
  const navigate = props.navigate ?? routerNavigate;
  const [term, setTerm] = useState('');
  const debounced = useTypingValue(term.trim(), props.debounceMs);
  const inputRef = useRef<HTMLInputElement>(null);
  // A key typed right after Ctrl-K can arrive before the dialog has moved focus to the input:
  // a printable key outside the input goes into it instead of being lost.
  useLayoutEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const input = inputRef.current;
      if (!input || document.activeElement === input) return;
      if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
      event.preventDefault();
      setTerm((current) => current + event.key);
      input.focus();
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, []);
  const [recent] = useState(() => readRecent());
  const [activeId, setActiveId] = useState<string | undefined>(undefined);
  const search = useSearch({ term: debounced, pageLimit: PALETTE_PAGE_LIMIT }, { enabled: debounced.length > 0 });
  const baseId = useId();
  const listboxId = `${baseId}-listbox`;
  const optionId = (item: PaletteItem) => `${baseId}-${item.id}`;

  const showResults = term.trim().length > 0 && debounced.length > 0;
  const results = showResults ? search.data?.results : undefined;
  const groups = useMemo(() => paletteGroups(term, results, recent), [term, results, recent]);
  const items = useMemo(() => groups.flatMap((g) => g.items), [groups]);
  const active = items.find((item) => item.id === activeId);
  const waiting = term.trim().length > 0 && (term.trim() !== debounced || search.isFetching);

  const open = (item: PaletteItem) => {
    if (item.result) {
      const doc = item.result.document;
      rememberRecent({ title: doc.title, location: item.path, type: item.result.type, ...(doc.kind ? { subtitle: doc.kind } : {}) });
    } else if (item.recent) {
      rememberRecent(item.recent);
    }
    props.onClose();
    navigate(item.path);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const move = (key: 'ArrowDown' | 'ArrowUp' | 'Home' | 'End') => {
      event.preventDefault();
      const next = moveActive(items, activeId, key);
      setActiveId(next);
      const option = items.find((item) => item.id === next);
      if (option) requestAnimationFrame(() => document.getElementById(optionId(option))?.scrollIntoView?.({ block: 'nearest' }));
    };
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') move(event.key);
    else if ((event.key === 'Home' || event.key === 'End') && (event.ctrlKey || event.metaKey)) move(event.key);
    else if (event.key === 'Enter') {
      event.preventDefault();
      if (active) open(active);
      else if (term.trim()) {
        props.onClose();
        navigate(searchPagePath(term.trim()));
      }
    }
  };

  const noResults = showResults && !search.isPlaceholderData && search.data !== undefined && search.data.results.length === 0;

  return (
    <Box>
      <TextInput
        ref={inputRef}
        data-autofocus
        value={term}
        onChange={(event) => {
          setTerm(event.currentTarget.value);
          setActiveId(undefined);
        }}
        onKeyDown={onKeyDown}
        placeholder="Search the catalog, docs, templates…"
        aria-label="Search Atrium"
        role="combobox"
        aria-expanded={items.length > 0}
        aria-controls={listboxId}
        aria-autocomplete="list"
        aria-activedescendant={active ? optionId(active) : undefined}
        autoComplete="off"
        spellCheck={false}
        size="lg"
        variant="unstyled"
        px="md"
        leftSection={<IconSearch size={20} aria-hidden />}
        rightSection={waiting ? <Loader size="xs" aria-label="Searching" /> : <Kbd size="xs">Esc</Kbd>}
        rightSectionWidth={48}
        classNames={{ root: classes.inputRoot }}
      />
      <Box className={classes.body}>
        <div aria-live="polite" className={classes.status}>
          {search.error && showResults ? (
            <Text c="red" size="sm" role="alert">
              Search failed: {errorMessage(search.error)}
            </Text>
          ) : noResults ? (
            <Stack gap={4}>
              <Text size="sm">No results for “{debounced}”.</Text>
              {search.data?.suggestion && (
                <Text size="sm" c="dimmed">
                  Did you mean{' '}
                  <UnstyledButton className={classes.suggestion} onClick={() => setTerm(search.data?.suggestion ?? '')}>
                    {search.data.suggestion}
                  </UnstyledButton>
                  ?
                </Text>
              )}
            </Stack>
          ) : !term.trim() && groups.every((g) => g.id !== 'recent') ? (
            <Text size="sm" c="dimmed">
              Type to search the catalog, docs and templates. Pages you open from here show up as recent.
            </Text>
          ) : null}
        </div>
        <div role="listbox" id={listboxId} aria-label="Search results and actions" className={classes.listbox}>
          {groups.map((group) => (
            <div role="group" key={group.id} aria-labelledby={`${baseId}-group-${group.id}`}>
              <Text id={`${baseId}-group-${group.id}`} className={classes.groupLabel} size="xs" fw={700} c="dimmed" tt="uppercase">
                {group.label}
              </Text>
              {group.items.map((item) => (
                // Options are chosen with the keyboard through the combobox input (aria-activedescendant),
                // so they take no focus and need no key handler of their own; the mouse may click them.
                // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/interactive-supports-focus
                <div
                  key={item.id}
                  id={optionId(item)}
                  role="option"
                  aria-selected={item.id === activeId}
                  data-active={item.id === activeId || undefined}
                  className={classes.option}
                  onMouseMove={() => item.id !== activeId && setActiveId(item.id)}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => open(item)}
                >
                  <Group gap="sm" wrap="nowrap" justify="space-between" className={classes.row}>
                    <Text size="sm" fw={500} className={classes.label}>
                      {item.result ? <Highlighted highlight={item.result.highlight} field="title" fallback={item.label} /> : item.label}
                    </Text>
                    {item.detail && (
                      <Text size="xs" c="dimmed" className={classes.detail}>
                        {item.detail}
                      </Text>
                    )}
                  </Group>
                </div>
              ))}
            </div>
          ))}
        </div>
      </Box>
      <Group gap="md" className={classes.footer} visibleFrom="sm">
        <Text size="xs" c="dimmed">
          <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> to move
        </Text>
        <Text size="xs" c="dimmed">
          <Kbd size="xs">Enter</Kbd> to open
        </Text>
        <Text size="xs" c="dimmed">
          <Kbd size="xs">Esc</Kbd> to close
        </Text>
      </Group>
    </Box>
  );
}
