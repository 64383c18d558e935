import { isSignedIn, useCurrentUser } from '@atrium/frontend-plugin-api';
import { canonicalRefKey, humanizeEntityRef, useEntityTitles } from '@atrium/ui';
import { Button, Checkbox, MultiSelect, Paper, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { IconFilterOff } from '@tabler/icons-react';
import { useId, useMemo } from 'react';
import { activeFilterCount, ALL_KINDS, clearedFilters, withFilter, withKind, type ExplorerState, type FacetKey, type MultiFilterKey } from './filterState';
import { isOwnedByMe, withOwnedByMe } from './ownedByMe';
import type { FacetCounts } from './useExplorerData';

export interface ExplorerFiltersProps {
  state: ExplorerState;
  counts: FacetCounts;
  onChange: (next: ExplorerState) => void;
  /** A filter whose counts load on demand was opened. */
  onFacetOpen?: (key: FacetKey) => void;
}

type Option = { value: string; label: string };

/**
 * Options for a facet: every value with its count, plus selected values the counts no longer
 * contain. Before the counts have loaded, the selected values are listed without a count.
 */
export function facetOptions(
  counts: Array<{ value: string; count: number }> | undefined,
  selected: readonly string[],
  label: (value: string) => string = (v) => v,
): Option[] {
  if (counts === undefined) return selected.map((value) => ({ value, label: label(value) }));
  const seen = new Set<string>();
  const options: Option[] = [];
  for (const { value, count } of counts ?? []) {
    const key = value.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    options.push({ value, label: `${label(value)} (${count.toLocaleString()})` });
  }
  for (const value of selected) {
    if (!seen.has(value.toLowerCase())) options.push({ value, label: `${label(value)} (0)` });
  }
  return options;
}

/** The filter panel: kind, type, owner, lifecycle, tags and namespace, each with its counts. */
export function ExplorerFilters(props: ExplorerFiltersProps) {
  const { state, counts, onChange } = props;
  const headingId = useId();
  const set = (key: MultiFilterKey) => (values: string[]) => onChange(withFilter(state, key, values));

  const kindOptions: Option[] = [
    { value: ALL_KINDS, label: `All kinds${counts.kind ? ` (${counts.kind.reduce((sum, f) => sum + f.count, 0).toLocaleString()})` : ''}` },
    ...facetOptions(
      counts.kind?.map((f) => ({ ...f, value: f.value.toLowerCase() })),
      state.kind === ALL_KINDS ? [] : [state.kind],
      (kind) => counts.kind?.find((f) => f.value.toLowerCase() === kind)?.value ?? kind,
    ),
  ];
  const namespaces = counts.namespace ?? [];
  const showNamespace = namespaces.length > 1 || state.filters.namespace.length > 0;
  const lifecycleOptions = facetOptions(counts.lifecycle, state.filters.lifecycle);
  const ownerLabel = useOwnerLabel(counts.owner, state.filters.owner);
  const me = useCurrentUser();
  const myRefs = isSignedIn(me.data) ? me.data.ownershipEntityRefs : undefined;

  return (
    <Paper component="section" withBorder radius="md" p="md" aria-labelledby={headingId}>
      <Stack gap="md">
        <Title id={headingId} order={2} size="h5">
          Filters
        </Title>
        <Select
          label="Kind"
          data={kindOptions}
          value={state.kind}
          onChange={(value) => value && onChange(withKind(state, value))}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <MultiSelect
          label="Type"
          placeholder={state.filters.type.length ? undefined : 'Any type'}
          data={facetOptions(counts.type, state.filters.type)}
          value={state.filters.type}
          onChange={set('type')}
          searchable
          clearable
          limit={200}
        />
        {myRefs && (
          <Switch
            label="Owned by me"
            description="You or one of your teams"
            checked={isOwnedByMe(state, myRefs)}
            onChange={(e) => onChange(withOwnedByMe(state, myRefs, e.currentTarget.checked))}
          />
        )}
        <MultiSelect
          label="Owner"
          placeholder={state.filters.owner.length ? undefined : 'Any owner'}
          data={facetOptions(counts.owner, state.filters.owner, ownerLabel)}
          value={state.filters.owner}
          onChange={set('owner')}
          onDropdownOpen={() => props.onFacetOpen?.('owner')}
          searchable
          clearable
          limit={200}
          nothingFoundMessage={counts.owner ? 'No owner matches' : 'Counting owners…'}
        />
        {lifecycleOptions.length > 0 && (
          <Checkbox.Group label="Lifecycle" value={state.filters.lifecycle} onChange={set('lifecycle')}>
            <Stack gap={6} mt={6}>
              {lifecycleOptions.map((option) => (
                <Checkbox key={option.value} value={option.value} label={option.label} size="sm" />
              ))}
            </Stack>
          </Checkbox.Group>
        )}
        <MultiSelect
          label="Tags"
          placeholder={state.filters.tag.length ? undefined : 'Any tag'}
          data={facetOptions(counts.tag, state.filters.tag)}
          value={state.filters.tag}
          onChange={set('tag')}
          onDropdownOpen={() => props.onFacetOpen?.('tag')}
          searchable
          clearable
          limit={200}
          nothingFoundMessage={counts.tag ? 'No tag matches' : 'Counting tags…'}
        />
        {showNamespace && (
          <MultiSelect
            label="Namespace"
            placeholder={state.filters.namespace.length ? undefined : 'Any namespace'}
            data={facetOptions(namespaces, state.filters.namespace)}
            value={state.filters.namespace}
            onChange={set('namespace')}
            searchable
            clearable
          />
        )}
        {activeFilterCount(state) > 0 ? (
          <Button variant="default" size="xs" leftSection={<IconFilterOff size={14} aria-hidden />} onClick={() => onChange(clearedFilters(state))}>
            Clear filters
          </Button>
        ) : (
          <Text size="xs" c="dimmed">
            Counts ignore the search text.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** Owners are named as everywhere else: the owner's title when the catalog knows it, the ref otherwise. */
function useOwnerLabel(counts: Array<{ value: string }> | undefined, selected: readonly string[]): (ref: string) => string {
  const keys = useMemo(
    () =>
      [...(counts ?? []).map((c) => c.value), ...selected]
        .map((ref) => canonicalRefKey(ref, { defaultKind: 'group' }))
        .filter((k): k is string => k !== undefined),
    [counts, selected],
  );
  const titles = useEntityTitles(keys);
  return (ref) => {
    const key = canonicalRefKey(ref, { defaultKind: 'group' });
    return (key && titles.get(key)) || humanizeEntityRef(ref, { defaultKind: 'group' });
  };
}
