import { Box, Button, Divider, Grid, Group, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { EmptyState, ErrorState, LoadingState, PageLayout } from '@atrium/ui';
import { IconChevronLeft, IconChevronRight, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useSearch } from './api';
import { searchPagePath } from './appPath';
import { SearchFacets } from './SearchFacets';
import { SearchResultItem } from './SearchResultItem';
import { searchRequestOf, type SearchUrlState } from './searchUrlState';
import { KNOWN_TYPES, type SearchResponse } from './types';
import { useSearchUrlState } from './useSearchUrlState';

/** Debounce of the page's search box before the URL (and so the query) follows it. */
const PAGE_DEBOUNCE_MS = 250;

/** `/search?q=…`: every type in tabs, facet filters, highlights and paging, all kept in the URL. */
export default function SearchPage() {
  const [state, update] = useSearchUrlState();
  const request = searchRequestOf(state);
  const search = useSearch(request, { enabled: request.term.length > 0 });
  return (
    <PageLayout title="Search" documentTitle={state.q ? `${state.q} · Search` : 'Search'}>
      <SearchBox q={state.q} onSearch={(q, replace) => update({ q }, { replace })} />
      {!request.term ? (
        <EmptyState
          icon={<IconSearch aria-hidden />}
          title="Search the catalog, docs and templates"
          description="Type a name, an owner, a tag or words from the docs. Press Ctrl K (⌘ K on a Mac) on any page to search from there."
        />
      ) : (
        <Stack gap="md">
          <TypeTabs state={state} data={search.data} onChange={(type) => update({ type })} />
          {search.data && search.data.results.length > 0 ? (
            <Grid gap="lg">
              <Grid.Col span={{ base: 12, md: 3 }}>
                <SearchFacets state={state} facets={search.data.facets} onChange={(change) => update(change)} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 9 }}>
                <Results state={state} query={search} onChange={update} />
              </Grid.Col>
            </Grid>
          ) : (
            // Loading, failed or nothing found: no filters to offer, the message takes the width.
            <Results state={state} query={search} onChange={update} />
          )}
        </Stack>
      )}
    </PageLayout>
  );
}

function SearchBox(props: { q: string; onSearch: (q: string, replace: boolean) => void }) {
  const [value, setValue] = useState(props.q);
  const [seenQ, setSeenQ] = useState(props.q);
  // Back/forward or a "Did you mean" link changes the URL: the box follows.
  if (props.q !== seenQ) {
    setSeenQ(props.q);
    setValue(props.q);
  }
  const debouncedSearch = useDebouncedCallback((q: string) => props.onSearch(q, true), PAGE_DEBOUNCE_MS);
  return (
    <form
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        debouncedSearch.cancel?.();
        props.onSearch(value.trim(), false);
      }}
    >
      <TextInput
        value={value}
        onChange={(event) => {
          setValue(event.currentTarget.value);
          debouncedSearch(event.currentTarget.value.trim());
        }}
        aria-label="Search terms"
        placeholder="Search components, docs, templates…"
        leftSection={<IconSearch size={18} aria-hidden />}
        size="md"
        type="search"
        autoComplete="off"
      />
    </form>
  );
}

function TypeTabs(props: { state: SearchUrlState; data: SearchResponse | undefined; onChange: (type: string | undefined) => void }) {
  const typeFacet = props.data?.facets?.type;
  const count = (type: string) => typeFacet?.find((f) => f.value === type)?.count;
  const all = typeFacet ? typeFacet.reduce((sum, f) => sum + f.count, 0) : props.state.type ? undefined : props.data?.numberOfResults;
  const plus = props.data?.numberOfResultsIsLowerBound ? '+' : '';
  const label = (text: string, n: number | undefined) => (n === undefined ? text : `${text} (${n}${plus})`);
  return (
    <Tabs value={props.state.type ?? 'all'} onChange={(value) => props.onChange(value === 'all' || !value ? undefined : value)}>
      <Tabs.List aria-label="Result types">
        <Tabs.Tab value="all">{label('All', all)}</Tabs.Tab>
        {KNOWN_TYPES.map((t) => (
          <Tabs.Tab key={t.type} value={t.type}>
            {label(t.label, count(t.type))}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}

function Results(props: { state: SearchUrlState; query: ReturnType<typeof useSearch>; onChange: (change: Partial<SearchUrlState>) => void }) {
  const { query, state } = props;
  if (query.error) return <ErrorState error={query.error} title="Search failed" onRetry={() => void query.refetch()} />;
  if (!query.data) return <LoadingState label="Searching…" />;
  const data = query.data;
  const filtered = Boolean(state.type || state.kind || state.owner || state.lifecycle || state.tag);
  if (data.results.length === 0) {
    return (
      <EmptyState
        icon={<IconSearch aria-hidden />}
        title={`No results for “${state.q}”`}
        description={
          <>
            {data.suggestion && (
              <span style={{ display: 'block', marginBottom: 4 }}>
                Did you mean{' '}
                <Link to={searchPagePath(data.suggestion, state.type)} style={{ color: 'var(--mantine-color-anchor)' }}>
                  {data.suggestion}
                </Link>
                ?
              </span>
            )}
            {filtered ? 'Try removing a filter, or use fewer or shorter words.' : 'Try fewer or shorter words, or part of a name.'}
          </>
        }
        action={
          filtered ? (
            <Button
              variant="default"
              onClick={() => props.onChange({ type: undefined, kind: undefined, owner: undefined, lifecycle: undefined, tag: undefined })}
            >
              Clear filters
            </Button>
          ) : undefined
        }
      />
    );
  }
  return (
    <Stack gap="md" aria-busy={query.isFetching}>
      <Text size="sm" c="dimmed" aria-live="polite">
        {data.numberOfResultsIsLowerBound
          ? `More than ${data.numberOfResults.toLocaleString('en')} results`
          : data.numberOfResults === 1
            ? '1 result'
            : `${data.numberOfResults} results`}
        {query.isFetching ? ' · updating…' : ''}
      </Text>
      <Stack gap="md" component="section" aria-label="Search results">
        {data.results.map((result, i) => (
          <Box key={`${result.type}-${result.document.location}-${i}`}>
            {i > 0 && <Divider mb="md" />}
            <SearchResultItem result={result} />
          </Box>
        ))}
      </Stack>
      {(data.previousPageCursor || data.nextPageCursor) && (
        <Group justify="space-between" component="nav" aria-label="Result pages">
          <Button
            variant="default"
            leftSection={<IconChevronLeft size={16} aria-hidden />}
            disabled={!data.previousPageCursor}
            onClick={() => props.onChange({ cursor: data.previousPageCursor })}
          >
            Previous
          </Button>
          <Button
            variant="default"
            rightSection={<IconChevronRight size={16} aria-hidden />}
            disabled={!data.nextPageCursor}
            onClick={() => props.onChange({ cursor: data.nextPageCursor })}
          >
            Next
          </Button>
        </Group>
      )}
    </Stack>
  );
}
