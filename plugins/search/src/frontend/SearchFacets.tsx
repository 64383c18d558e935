import { Select, SimpleGrid } from '@mantine/core';
import { FACET_OF_PARAM, FACET_PARAMS, type FacetParam, type SearchUrlState } from './searchUrlState';
import type { FacetValue, SearchResponse } from './types';

const FACET_LABELS: Record<FacetParam, string> = { kind: 'Kind', owner: 'Owner', lifecycle: 'Lifecycle', tag: 'Tag' };

function shortValue(param: FacetParam, value: string): string {
  return param === 'owner' ? value.replace(/^group:(default\/)?/, '') : value;
}

/** The facet filters (kind, owner, lifecycle, tag) with the server's counts; each choice goes into the URL. */
export function SearchFacets(props: { state: SearchUrlState; facets: SearchResponse['facets']; onChange: (change: Partial<SearchUrlState>) => void }) {
  return (
    <SimpleGrid cols={{ base: 2, md: 1 }} spacing="sm" verticalSpacing="sm" role="group" aria-label="Filters">
      {FACET_PARAMS.map((param) => {
        const values: FacetValue[] = [...(props.facets?.[FACET_OF_PARAM[param]] ?? [])];
        const selected = props.state[param];
        if (selected && !values.some((v) => v.value === selected)) values.unshift({ value: selected, count: 0 });
        if (values.length === 0) return null;
        return (
          <Select
            key={param}
            label={FACET_LABELS[param]}
            placeholder={`Any ${FACET_LABELS[param].toLowerCase()}`}
            data={values.map((v) => ({ value: v.value, label: `${shortValue(param, v.value)} (${v.count})` }))}
            value={selected ?? null}
            onChange={(value) => props.onChange({ [param]: value ?? undefined })}
            clearable
            searchable={values.length > 8}
            comboboxProps={{ withinPortal: true }}
            allowDeselect
          />
        );
      })}
    </SimpleGrid>
  );
}
