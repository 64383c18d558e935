import { EmptyState, QueryBoundary } from '@atrium/ui';
import { Anchor, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { getEntityFacets } from './api/catalogApi';
import { catalogKeys, LIST_REFRESH_MS } from './api/queries';
import { KindCountTiles } from './components/KindCountTiles';

/** Home widget: how many entities of each kind, each a link into the explorer. */
export default function CatalogOverviewWidget() {
  const query = useQuery({
    queryKey: catalogKeys.facets(['kind'], undefined),
    queryFn: ({ signal }) => getEntityFacets(['kind'], undefined, { signal }),
    refetchInterval: LIST_REFRESH_MS,
  });
  return (
    <Stack gap="sm">
      <QueryBoundary
        query={query}
        compact
        loadingLabel="Counting entities…"
        errorTitle="Could not load the catalog"
        isEmpty={(data) => (data.facets.kind ?? []).length === 0}
        empty={
          <EmptyState
            compact
            title="The catalog is empty"
            description="Register a repository that has a catalog-info.yaml to see it here."
            action={
              <Anchor component={Link} to="/catalog-import" size="sm">
                Register existing component
              </Anchor>
            }
          />
        }
      >
        {(data) => (
          <KindCountTiles counts={data.facets.kind ?? []} href={(kind) => `/catalog?kind=${encodeURIComponent(kind.toLowerCase())}`} label="Entities by kind" />
        )}
      </QueryBoundary>
      <Anchor component={Link} to="/catalog" size="sm">
        Browse the catalog
      </Anchor>
    </Stack>
  );
}
