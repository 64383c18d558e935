import {
  canonicalRefKey,
  DataTable,
  EmptyState,
  EntityRefLink,
  ErrorState,
  LoadingState,
  PageLayout,
  RelativeTime,
  StatusBadge,
  useEntityTitles,
  type DataTableColumn,
} from '@atrium/ui';
import { Anchor, Badge, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBook2, IconSearch } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { docsPagePath, type DocsEntitySummary } from '../common';
import { useDocsEntities, useDocsOwners } from './api';
import { shortRef, STATUS_LABEL, STATUS_TONE } from './status';

const NO_OWNERS: ReadonlyArray<{ owner: string; count: number }> = [];

/** `/docs`: every catalog entity with TechDocs, searchable by title and filterable by owner. */
export default function DocsHomePage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const owner = params.get('owner');
  const [debouncedQ] = useDebouncedValue(q, 250);
  const owners = useDocsOwners();
  const ownerOptions = useOwnerOptions(owners.data?.items ?? NO_OWNERS);
  const query = useDocsEntities({ q: debouncedQ.trim(), owner });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.totalItems ?? 0;
  const filtered = q.trim() !== '' || owner !== null;

  const update = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  return (
    <PageLayout title="Docs" subtitle="Documentation written next to the code, built from mkdocs.yml and Markdown for every documented catalog entity.">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Search by title"
          placeholder="e.g. orders"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={q}
          onChange={(e) => update('q', e.currentTarget.value)}
          w={{ base: '100%', xs: 280 }}
        />
        <Select
          label="Owner"
          placeholder="All owners"
          data={ownerOptions}
          value={owner}
          onChange={(v) => update('owner', v)}
          clearable
          searchable
          w={{ base: '100%', xs: 260 }}
          nothingFoundMessage="No owner matches"
        />
        {query.data && (
          <Text size="sm" c="dimmed" pb={8} aria-live="polite">
            {total} {total === 1 ? 'site' : 'sites'}
          </Text>
        )}
      </Group>
      {query.data === undefined ? (
        query.error ? (
          <ErrorState error={query.error} title="Could not load the documented entities" onRetry={() => void query.refetch()} />
        ) : (
          <LoadingState label="Loading docs…" />
        )
      ) : items.length === 0 ? (
        filtered ? (
          <EmptyState
            icon={<IconSearch aria-hidden />}
            title="No docs match"
            description="Try another title or owner, or clear the filters."
            action={
              <Button variant="default" onClick={() => setParams({}, { replace: true })}>
                Clear filters
              </Button>
            }
          />
        ) : (
          <EmptyState
            icon={<IconBook2 aria-hidden />}
            title="No documented entities yet"
            description={
              <>
                Add <code>backstage.io/techdocs-ref: dir:.</code> to a catalog-info.yaml that has an mkdocs.yml and a docs/ folder next to it. Its docs are
                built in the background and appear here.
              </>
            }
          />
        )
      ) : (
        <Stack gap="sm">
          <DocsTable items={items} />
          {query.hasNextPage && (
            <Group justify="center">
              <Button variant="default" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
                Show more
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </PageLayout>
  );
}

const DOCS_COLUMNS: Array<DataTableColumn<DocsEntitySummary>> = [
  {
    id: 'docs',
    header: 'Docs',
    primary: true,
    width: '44%',
    cell: (item) => (
      <>
        <Anchor component={Link} to={docsPagePath(item, '')} fw={600} size="sm">
          {item.siteName ?? item.title}
        </Anchor>
        {item.siteName && item.siteName !== item.title && (
          <Text size="xs" c="dimmed">
            {item.title}
          </Text>
        )}
        {item.description && (
          <Text size="sm" c="dimmed" lineClamp={2}>
            {item.description}
          </Text>
        )}
      </>
    ),
  },
  { id: 'owner', header: 'Owner', cell: (item) => (item.owner ? <EntityRefLink entityRef={item.owner} defaultKind="group" size="sm" /> : null) },
  {
    id: 'kind',
    header: 'Kind',
    cell: (item) => (
      <Badge variant="default" radius="sm" tt="none">
        {item.kind}
        {item.type ? ` · ${item.type}` : ''}
      </Badge>
    ),
  },
  {
    id: 'status',
    header: 'Status',
    card: 'aside',
    cell: (item) => (
      <div>
        <StatusBadge status={item.build.status} label={STATUS_LABEL[item.build.status]} tone={STATUS_TONE[item.build.status]} />
        {item.build.warningCount > 0 && item.build.status === 'ready' && (
          <Text size="xs" c="dimmed" mt={2}>
            {item.build.warningCount} {item.build.warningCount === 1 ? 'warning' : 'warnings'}
          </Text>
        )}
      </div>
    ),
  },
  {
    id: 'built',
    header: 'Built',
    nowrap: true,
    cell: (item) =>
      item.build.builtAt ? (
        <Text span size="sm">
          <RelativeTime value={item.build.builtAt} />
        </Text>
      ) : null,
  },
];

function DocsTable(props: { items: DocsEntitySummary[] }) {
  return (
    <DataTable
      label="Documented entities"
      rows={props.items}
      columns={DOCS_COLUMNS}
      rowKey={(item) => item.entityRef}
      verticalSpacing="sm"
      highlightOnHover
      minTableWidth={700}
    />
  );
}

/** The owner filter's choices, named by the owners' titles. */
function useOwnerOptions(owners: ReadonlyArray<{ owner: string; count: number }>) {
  const keys = useMemo(() => owners.map((o) => canonicalRefKey(o.owner, { defaultKind: 'group' }) ?? o.owner), [owners]);
  const titles = useEntityTitles(keys);
  return owners.map((o, index) => ({ value: o.owner, label: `${titles.get(keys[index]!) ?? shortRef(o.owner)} (${o.count})` }));
}
