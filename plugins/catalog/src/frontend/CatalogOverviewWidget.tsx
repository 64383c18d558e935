import { EmptyState, QueryBoundary } from '@atrium/ui';
import { Anchor, Group, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { getEntityFacets } from './api/catalogApi';
import { catalogKeys, LIST_REFRESH_MS } from './api/queries';
import { KindIcon } from './components/KindIcon';
import { kindNoun } from './components/kindLabels';
import classes from './CatalogOverviewWidget.module.css';

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
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs" component="ul" className={classes.list} aria-label="Entities by kind">
            {(data.facets.kind ?? []).map(({ value, count }) => (
              <li key={value}>
                <UnstyledButton component={Link} to={`/catalog?kind=${encodeURIComponent(value.toLowerCase())}`} className={classes.tile}>
                  <Group gap={6} wrap="nowrap">
                    <KindIcon kind={value} size={18} />
                    <Text fw={700}>{count.toLocaleString()}</Text>
                  </Group>
                  <Text size="sm" c="dimmed">
                    {kindNoun(count, value)}
                  </Text>
                </UnstyledButton>
              </li>
            ))}
          </SimpleGrid>
        )}
      </QueryBoundary>
      <Anchor component={Link} to="/catalog" size="sm">
        Browse the catalog
      </Anchor>
    </Stack>
  );
}
