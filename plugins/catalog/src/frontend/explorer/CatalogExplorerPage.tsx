import { EmptyState, ErrorState, LoadingState, PageLayout, StaleDataNotice } from '@atrium/ui';
import { Badge, Button, CloseButton, Collapse, Grid, Group, Stack, Text, TextInput, useMantineTheme } from '@mantine/core';
import { useDebouncedCallback, useDisclosure, useMediaQuery } from '@mantine/hooks';
import { IconChevronDown, IconChevronUp, IconFilter, IconFilterOff, IconMapPin, IconPlus, IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { columnsForKind, fieldsForColumns, sortFieldFor } from './columns';
import { EntityList } from './EntityList';
import { ExplorerFilters } from './ExplorerFilters';
import { activeFilterCount, ALL_KINDS, clearedFilters, serializeExplorerState, type ExplorerState, type FacetKey } from './filterState';
import { useExplorerEntities, useExplorerFacets } from './useExplorerData';
import { useExplorerState } from './useExplorerState';
import { countLabel, pluralKind } from '../components/kindLabels';

/** /catalog: every entity, filtered, sorted and paginated on the server, with the state in the URL. */
export default function CatalogExplorerPage() {
  const [state, setState] = useExplorerState();
  const [openedFacets, setOpenedFacets] = useState<ReadonlySet<FacetKey>>(new Set());
  // The namespace column depends on the facet counts, which wait for the rows: remember the answer.
  const [showNamespace, setShowNamespace] = useState(false);
  const columns = useMemo(() => columnsForKind(state.kind, { showNamespace }), [state.kind, showNamespace]);
  const fields = useMemo(() => fieldsForColumns(columns), [columns]);
  const { query, rows, totalItems } = useExplorerEntities(state, columns, fields);
  const facets = useExplorerFacets(state, { enabled: query.data !== undefined && !query.isPlaceholderData, opened: openedFacets });
  const namespaceCount = facets.counts.namespace?.length;
  // Kept while the facets reload, so the column does not flicker; adjusted during render (no effect).
  if (namespaceCount !== undefined && showNamespace !== namespaceCount > 1) setShowNamespace(namespaceCount > 1);
  const kindLabel = kindTitle(state.kind, facets.counts.kind);
  const sortColumn = sortFieldFor(columns, state.sort.column).column;

  return (
    <PageLayout
      title="Catalog"
      subtitle="Your organisation's software: components, APIs, resources, systems, teams and people."
      actions={
        <>
          <Button component={Link} to="/catalog/locations" variant="default" leftSection={<IconMapPin size={16} aria-hidden />}>
            Locations
          </Button>
          <Button component={Link} to="/catalog-import" leftSection={<IconPlus size={16} aria-hidden />}>
            Register existing component
          </Button>
        </>
      }
    >
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 3 }}>
          <CollapsibleFilters activeCount={activeFilterCount(state)} kindLabel={kindLabel}>
            <ExplorerFilters
              state={state}
              counts={facets.counts}
              onChange={(next) => setState(next)}
              onFacetOpen={(key) => setOpenedFacets((current) => (current.has(key) ? current : new Set([...current, key])))}
            />
          </CollapsibleFilters>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          <Stack gap="sm">
            <SearchBox value={state.text} onChange={(text) => setState({ ...state, text }, { replace: true })} />
            <Group justify="space-between" gap="xs" mih={28}>
              <Text size="sm" c="dimmed" role="status" aria-live="polite">
                {totalItems === undefined ? 'Loading…' : countLabel(totalItems, kindLabel)}
                {state.sort.column !== 'name' && sortColumn.id !== 'name'
                  ? ` · sorted by ${sortColumn.title.toLowerCase()}; entities without one are not listed`
                  : ''}
              </Text>
              {state.location && (
                <Badge
                  variant="light"
                  size="lg"
                  tt="none"
                  radius="sm"
                  rightSection={<CloseButton size="xs" aria-label="Stop filtering by location" onClick={() => setState({ ...state, location: undefined })} />}
                >
                  From {state.location}
                </Badge>
              )}
            </Group>
            {query.error && query.data ? <StaleDataNotice error={query.error} updatedAt={query.dataUpdatedAt} onRetry={() => void query.refetch()} /> : null}
            <ExplorerResults
              state={state}
              onChange={setState}
              query={query}
              rows={rows}
              totalItems={totalItems}
              columns={columns}
              caption={`Catalog: ${pluralKind(kindLabel)}`}
            />
          </Stack>
        </Grid.Col>
      </Grid>
    </PageLayout>
  );
}

function ExplorerResults(props: {
  state: ExplorerState;
  onChange: (next: ExplorerState) => void;
  query: ReturnType<typeof useExplorerEntities>['query'];
  rows: ReturnType<typeof useExplorerEntities>['rows'];
  totalItems: number | undefined;
  columns: ReturnType<typeof columnsForKind>;
  caption: string;
}) {
  const { state, query, rows } = props;
  if (!query.data) {
    if (query.error) return <ErrorState error={query.error} title="Could not load the catalog" onRetry={() => void query.refetch()} />;
    return <LoadingState label="Loading entities…" />;
  }
  if (rows.length === 0 && !query.isPlaceholderData) {
    const filtered = activeFilterCount(state) > 0 || state.kind !== ALL_KINDS;
    if (!filtered) {
      return (
        <EmptyState
          title="The catalog is empty"
          description="Register a repository's catalog-info.yaml, or add locations to the catalog section of app-config.yaml."
          action={
            <Button component={Link} to="/catalog-import" leftSection={<IconPlus size={16} aria-hidden />}>
              Register existing component
            </Button>
          }
        />
      );
    }
    return (
      <EmptyState
        title="No entities match"
        description={
          activeFilterCount(state) > 0
            ? 'Nothing matches these filters. Remove some filters, or search for something else.'
            : 'There are no entities of this kind yet. Choose another kind, or register a repository that describes some.'
        }
        action={
          activeFilterCount(state) > 0 ? (
            <Button variant="default" leftSection={<IconFilterOff size={16} aria-hidden />} onClick={() => props.onChange(clearedFilters(state))}>
              Clear filters
            </Button>
          ) : (
            <Button variant="default" onClick={() => props.onChange({ ...state, kind: ALL_KINDS })}>
              Show all kinds
            </Button>
          )
        }
      />
    );
  }
  return (
    <EntityList
      rows={rows}
      columns={props.columns}
      totalItems={props.totalItems}
      sort={state.sort}
      onSort={(sort) => props.onChange({ ...state, sort })}
      hasNextPage={query.hasNextPage}
      isFetchingNextPage={query.isFetchingNextPage}
      fetchNextPage={() => void query.fetchNextPage()}
      isStale={query.isPlaceholderData}
      viewKey={serializeExplorerState(state).toString()}
      caption={props.caption}
    />
  );
}

/**
 * The filter panel beside the list on wide screens; on narrow ones (a phone) a "Filters" button
 * above the list opens it, so the list is not pushed a screen down.
 */
function CollapsibleFilters(props: { activeCount: number; kindLabel: string; children: ReactNode }) {
  const theme = useMantineTheme();
  const wide = useMediaQuery(`(min-width: ${theme.breakpoints.md})`, true, { getInitialValueInEffect: false });
  const [opened, { toggle }] = useDisclosure(false);
  if (wide) return <>{props.children}</>;
  return (
    <Stack gap="xs">
      <Button
        variant="default"
        onClick={toggle}
        aria-expanded={opened}
        aria-controls="catalog-filters"
        leftSection={<IconFilter size={16} aria-hidden />}
        rightSection={opened ? <IconChevronUp size={16} aria-hidden /> : <IconChevronDown size={16} aria-hidden />}
        justify="space-between"
        fullWidth
      >
        Filters · {pluralKind(props.kindLabel)}
        {props.activeCount > 0 ? ` · ${props.activeCount} active` : ''}
      </Button>
      <Collapse expanded={opened} id="catalog-filters">
        {props.children}
      </Collapse>
    </Stack>
  );
}

/** The search box: typing updates the URL after a short pause; Back and Forward update the box. */
function SearchBox(props: { value: string; onChange: (value: string) => void }) {
  const [text, setText] = useState(props.value);
  // Only a change that did not come from this box (Back, a link, "Clear filters") replaces what is typed.
  const committed = useRef(props.value);
  useEffect(() => {
    if (props.value !== committed.current) {
      committed.current = props.value;
      setText(props.value);
    }
  }, [props.value]);
  const commit = useDebouncedCallback((value: string) => {
    committed.current = value.trim();
    props.onChange(value.trim());
  }, 250);
  return (
    <TextInput
      aria-label="Search the catalog"
      placeholder="Search by name, description, tag, owner…"
      leftSection={<IconSearch size={16} aria-hidden />}
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        commit(event.currentTarget.value);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          committed.current = text.trim();
          props.onChange(text.trim());
        }
      }}
      rightSection={
        text ? (
          <CloseButton
            size="sm"
            aria-label="Clear search"
            onClick={() => {
              setText('');
              committed.current = '';
              props.onChange('');
            }}
          />
        ) : null
      }
    />
  );
}

/** The kind's name as the catalog writes it (`API`, `Component`), or `entity` for the mixed list. */
function kindTitle(kind: string, counts: Array<{ value: string }> | undefined): string {
  if (kind === ALL_KINDS) return 'entity';
  return counts?.find((f) => f.value.toLowerCase() === kind)?.value ?? kind;
}
