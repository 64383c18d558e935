import { stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import { QueryBoundary, SectionCard } from '@atrium/ui';
import { SegmentedControl, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { getEntityFacets } from '../api/catalogApi';
import { catalogKeys, LIVE_REFRESH_MS } from '../api/queries';
import { relationTargets } from '../components/entityDisplay';
import { KindCountTiles } from '../components/KindCountTiles';
import { useGroupDescendants } from './useOrgQueries';

/**
 * What a group or user owns, counted per kind; each count opens the explorer filtered to it.
 * "Including sub-groups" (for groups) and "including groups" (for users) widen the owners,
 * like Backstage's aggregated ownership.
 */
export function OwnershipCard(props: { entity: Entity }) {
  const { entity } = props;
  const isGroup = entity.kind.toLowerCase() === 'group';
  const ref = stringifyEntityRef(entity);
  const [mode, setMode] = useState<'direct' | 'aggregated'>('direct');
  const descendants = useGroupDescendants(entity, isGroup && mode === 'aggregated');
  const owners = mode === 'direct' ? [ref] : isGroup ? (descendants.data ?? [ref]) : [ref, ...relationTargets(entity, 'memberOf')];
  const query = { relations: { $contains: { type: 'ownedBy', targetRef: { $in: owners } } } };
  const facets = useQuery({
    queryKey: catalogKeys.facets(['kind'], query),
    queryFn: ({ signal }) => getEntityFacets(['kind'], query, { signal }),
    refetchInterval: LIVE_REFRESH_MS,
    enabled: mode === 'direct' || !isGroup || descendants.isSuccess,
  });
  const ownerParams = owners.map((o) => `owner=${encodeURIComponent(o)}`).join('&');

  return (
    <SectionCard
      title="Ownership"
      actions={
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(value) => setMode(value as 'direct' | 'aggregated')}
          aria-label="Which ownership to count"
          data={[
            { value: 'direct', label: 'Direct' },
            { value: 'aggregated', label: isGroup ? 'With sub-groups' : 'With groups' },
          ]}
        />
      }
    >
      <QueryBoundary
        query={{ ...facets, isPending: facets.isPending || (mode === 'aggregated' && isGroup && descendants.isPending) }}
        compact
        loadingLabel="Counting owned entities…"
        isEmpty={(data) => (data.facets.kind ?? []).length === 0}
        empty={
          <Text size="sm" c="dimmed">
            {mode === 'direct' ? 'Owns nothing directly. Set spec.owner of a component, API or resource to ' : 'Nothing is owned by '}
            {mode === 'direct' ? <code>{ref}</code> : 'these owners.'}
          </Text>
        }
      >
        {(data) => (
          <KindCountTiles
            counts={data.facets.kind ?? []}
            href={(kind) => `/catalog?kind=${encodeURIComponent(kind.toLowerCase())}&${ownerParams}`}
            label="Owned entities by kind"
          />
        )}
      </QueryBoundary>
    </SectionCard>
  );
}
