import { Loader, Popover, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useId, useState } from 'react';
import { stringifyEntityRef } from '@atrium/catalog-model';
import type { DocsSearchResult, EntityTriplet } from '../../common';
import { useDocsSearch } from '../api';

/** "Search these docs": full-text search within the site, with highlighted snippets. */
export function SiteSearch(props: {
  triplet: EntityTriplet;
  hrefFor(route: string, anchor?: string | null): string;
  onPick(route: string, anchor?: string | null): void;
}) {
  const [term, setTerm] = useState('');
  const [open, setOpen] = useState(false);
  const [debounced] = useDebouncedValue(term, 200);
  const search = useDocsSearch(debounced, stringifyEntityRef(props.triplet));
  const listId = useId();
  const results = debounced.trim().length >= 2 ? (search.data?.results ?? []) : [];
  const show = open && term.trim().length >= 2;

  const pick = (r: DocsSearchResult) => {
    setOpen(false);
    setTerm('');
    props.onPick(r.route, r.anchor);
  };

  return (
    <Popover opened={show} position="bottom-start" width={380} shadow="md" withinPortal withRoles={false} trapFocus={false} returnFocus={false} offset={4}>
      <Popover.Target>
        <TextInput
          aria-label="Search these docs"
          placeholder="Search these docs"
          leftSection={<IconSearch size={14} aria-hidden />}
          rightSection={search.isFetching && show ? <Loader size={12} /> : null}
          size="sm"
          value={term}
          onChange={(e) => {
            setTerm(e.currentTarget.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && results[0]) pick(results[0]);
            if (e.key === 'Escape') setOpen(false);
          }}
        />
      </Popover.Target>
      <Popover.Dropdown p={4} className="atrium-docs-search-results" id={listId} role="region" aria-label="Search results">
        {search.data === undefined || debounced.trim() !== term.trim() ? (
          <Text size="sm" c="dimmed" p="xs">
            Searching…
          </Text>
        ) : results.length === 0 ? (
          <Text size="sm" c="dimmed" p="xs">
            No page mentions “{term.trim()}”.
          </Text>
        ) : (
          <ul>
            {results.map((r) => (
              <li key={`${r.route}#${r.anchor ?? ''}`}>
                <UnstyledButton
                  component="a"
                  href={props.hrefFor(r.route, r.anchor)}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={(e) => {
                    e.preventDefault();
                    pick(r);
                  }}
                  className="atrium-docs-search-hit"
                >
                  <Text size="sm" fw={600}>
                    {r.pageTitle}
                    {r.heading ? (
                      <Text span c="dimmed" fw={400}>
                        {' '}
                        › {r.heading}
                      </Text>
                    ) : null}
                  </Text>
                  {/* The snippet is escaped by the server; only <mark> is markup. */}
                  <Text size="xs" c="dimmed" lineClamp={3} dangerouslySetInnerHTML={{ __html: r.snippet }} />
                </UnstyledButton>
              </li>
            ))}
          </ul>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
