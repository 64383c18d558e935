import { stringifyEntityRef } from '@atrium/catalog-model';
import { apiFetch, useEntity } from '@atrium/frontend-plugin-api';
import { EmptyState, EntityRefLink, ErrorState, LoadingState, RelativeTime, SectionCard } from '@atrium/ui';
import { Anchor, Badge, Button, Code, Group, Stack, Table, Text } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { formatChangePath, type EntityFieldChange, type EntityHistoryItem, type EntityHistoryPage } from '@atrium/plugin-catalog/common';

const PAGE = 25;
/** Paths that change on every update and say nothing to a reader. */
const NOISE = new Set(['metadata.etag']);

const TOPIC_LABELS: Record<string, { label: string; color: string }> = {
  'catalog.entity.created': { label: 'Created', color: 'green' },
  'catalog.entity.updated': { label: 'Updated', color: 'blue' },
  'catalog.entity.orphaned': { label: 'Orphaned', color: 'orange' },
  'catalog.entity.deleted': { label: 'Deleted', color: 'red' },
};

/** Another plugin's topic for people: `scorecards.level.changed` → "Scorecards: level changed". */
function topicLabel(topic: string): string {
  const [plugin = topic, ...rest] = topic.split('.');
  const name = plugin.charAt(0).toUpperCase() + plugin.slice(1);
  return rest.length > 0 ? `${name}: ${rest.join(' ')}` : name;
}

function short(value: unknown): string {
  if (value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** A source location as a link when it is a URL (`url:https://…`), else as text. */
function SourceLocation(props: { location: string }) {
  const target = props.location.replace(/^url:/, '');
  if (/^https?:\/\//.test(target)) {
    return (
      <Anchor href={target} target="_blank" rel="noopener noreferrer" size="xs">
        {props.location}
      </Anchor>
    );
  }
  return (
    <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
      {props.location}
    </Text>
  );
}

function Changes(props: { changes: EntityFieldChange[] }) {
  const shown = props.changes.filter((c) => !NOISE.has(c.path.join('.')));
  if (shown.length === 0) return <Text size="sm">No visible field changed (only its version tag).</Text>;
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table withTableBorder striped fz="xs" aria-label="Changed fields">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Field</Table.Th>
            <Table.Th>Before</Table.Th>
            <Table.Th>After</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((c) => (
            <Table.Tr key={c.path.join('\u0000')}>
              <Table.Td>
                <Code>{formatChangePath(c.path)}</Code>
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-word' }}>{short(c.old)}</Table.Td>
              <Table.Td style={{ wordBreak: 'break-word' }}>{short(c.new)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function HistoryEntry(props: { item: EntityHistoryItem }) {
  const { item } = props;
  const topic = TOPIC_LABELS[item.topic] ?? { label: topicLabel(item.topic), color: 'gray' };
  const actor = item.actor;
  return (
    <Stack
      gap={6}
      component="li"
      data-testid="history-entry"
      style={{ listStyle: 'none', borderBottom: '1px solid var(--mantine-color-default-border)', paddingBottom: 12 }}
    >
      <Group gap="sm" wrap="wrap">
        <Badge color={topic.color} variant="light" tt="none">
          {topic.label}
        </Badge>
        <Text size="sm">
          <RelativeTime value={item.createdAt} />
        </Text>
        {actor ? (
          <Text size="sm" c="dimmed" component="span">
            by {actor.startsWith('plugin:') ? `the ${actor.slice('plugin:'.length)} plugin` : <EntityRefLink entityRef={actor} size="sm" />}
          </Text>
        ) : null}
      </Group>
      {item.meta?.summary ? <Text size="sm">{item.meta.summary}</Text> : null}
      {item.meta?.location ? (
        <Group gap={6} wrap="wrap">
          <Text size="xs" c="dimmed">
            Source:
          </Text>
          <SourceLocation location={item.meta.location} />
          {item.meta.commit ? (
            <Text size="xs" c="dimmed">
              at commit <Code>{item.meta.commit.slice(0, 12)}</Code>
            </Text>
          ) : null}
        </Group>
      ) : item.meta?.provider ? (
        <Text size="xs" c="dimmed">
          From the entity provider {item.meta.provider}
        </Text>
      ) : null}
      {item.changes ? <Changes changes={item.changes} /> : null}
    </Stack>
  );
}

/** The entity's change history from the event log, newest first, with older entries on demand. */
export default function HistoryTab() {
  const entity = useEntity();
  const ref = stringifyEntityRef({ kind: entity.kind, namespace: entity.metadata.namespace ?? 'default', name: entity.metadata.name });
  const path = `/catalog/entities/by-name/${encodeURIComponent(entity.kind.toLowerCase())}/${encodeURIComponent(entity.metadata.namespace ?? 'default')}/${encodeURIComponent(entity.metadata.name)}/history`;
  const query = useInfiniteQuery({
    queryKey: ['catalog', 'entity-history', ref],
    queryFn: ({ pageParam, signal }) => apiFetch<EntityHistoryPage>(`${path}?limit=${PAGE}${pageParam ? `&before=${pageParam}` : ''}`, { signal }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor,
  });
  if (query.isPending) return <LoadingState label="Loading history…" />;
  if (!query.data) return <ErrorState error={query.error} title="Could not load the history" onRetry={() => void query.refetch()} />;
  const items = query.data.pages.flatMap((p) => p.items);
  return (
    <SectionCard title="History" description="What changed in this entity, newest first: who or what changed it, which fields, and where it was read from.">
      {items.length === 0 ? (
        <EmptyState
          compact
          icon={<IconHistory aria-hidden />}
          title="No recorded changes yet"
          description="Changes are recorded from now on, each time the catalog stores a new version of this entity. Older history is kept for the configured retention (backend.eventLog.retentionDays)."
        />
      ) : (
        <Stack gap="sm" component="ul" p={0} m={0} aria-label="Entity history">
          {items.map((item) => (
            <HistoryEntry key={item.id} item={item} />
          ))}
        </Stack>
      )}
      {query.hasNextPage ? (
        <Button variant="default" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} mt="sm">
          Show older changes
        </Button>
      ) : null}
      {query.isFetchNextPageError ? <ErrorState error={query.error} title="Could not load older changes" onRetry={() => void query.fetchNextPage()} /> : null}
    </SectionCard>
  );
}
