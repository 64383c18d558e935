import type { LocationStatus } from '@atrium/plugin-catalog/common';
import { DataTable, EmptyState, errorMessage, PageLayout, QueryBoundary, RelativeTime, StatusBadge, type DataTableColumn } from '@atrium/ui';
import { ActionIcon, Anchor, Badge, Box, Button, Code, Group, List, Text, Tooltip } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconMapPin, IconPlus, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import * as api from '../api/catalogApi';
import { catalogKeys, useInvalidateCatalog } from '../api/queries';
import { refreshLocation } from './refreshLocation';
import { RemoveLocationDialog } from './RemoveLocationDialog';

export const LOCATIONS_REFRESH_MS = 5_000;

/** Every location with how its last read went; they are few, so one status request each is fine. */
function useLocationStatuses() {
  return useQuery({
    queryKey: catalogKeys.locations,
    queryFn: async ({ signal }) => {
      const locations = await api.getLocations({ signal });
      return Promise.all(locations.map((location) => api.getLocationStatus(location.id, { signal })));
    },
    refetchInterval: LOCATIONS_REFRESH_MS,
  });
}

/** /catalog/locations: what the catalog reads, when it last did, and what went wrong. */
export default function LocationsPage() {
  const query = useLocationStatuses();
  const [removing, setRemoving] = useState<LocationStatus>();
  return (
    <PageLayout
      title="Locations"
      subtitle={`Where the catalog reads entities from: configured in app-config.yaml or registered here. Updates every ${LOCATIONS_REFRESH_MS / 1000} seconds.`}
      actions={
        <Button component={Link} to="/catalog-import" leftSection={<IconPlus size={16} aria-hidden />}>
          Register existing component
        </Button>
      }
    >
      <QueryBoundary
        query={query}
        loadingLabel="Loading locations…"
        errorTitle="Could not load the locations"
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState
            icon={<IconMapPin aria-hidden />}
            title="No locations yet"
            description="Register a repository's catalog-info.yaml, or list locations under catalog.locations in app-config.yaml."
            action={
              <Button component={Link} to="/catalog-import">
                Register existing component
              </Button>
            }
          />
        }
      >
        {(locations) => <LocationsTable locations={locations} onRemove={setRemoving} />}
      </QueryBoundary>
      {removing && <RemoveLocationDialog location={removing} onClose={() => setRemoving(undefined)} />}
    </PageLayout>
  );
}

function LocationsTable(props: { locations: LocationStatus[]; onRemove: (location: LocationStatus) => void }) {
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const columns: Array<DataTableColumn<LocationStatus>> = [
    {
      id: 'target',
      header: 'Target',
      primary: true,
      width: '38%',
      cell: (location) => (
        <Group gap={4} wrap="nowrap" align="flex-start">
          <Badge variant="outline" color="gray" size="sm" radius="sm" tt="none" style={{ flexShrink: 0 }}>
            {location.type}
          </Badge>
          {location.type === 'url' ? (
            <Anchor href={location.target} target="_blank" rel="noreferrer" size="sm" style={{ overflowWrap: 'anywhere' }}>
              {location.target}
            </Anchor>
          ) : (
            <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              {location.target}
            </Text>
          )}
        </Group>
      ),
    },
    {
      id: 'source',
      header: 'Source',
      cell: (location) => (
        <Tooltip label={location.source === 'config' ? 'From catalog.locations in the app config' : 'Registered through the UI or API'}>
          <Badge variant="light" color={location.source === 'config' ? 'gray' : 'indigo'} tt="none" tabIndex={0}>
            {location.source === 'config' ? 'configured' : 'registered'}
          </Badge>
        </Tooltip>
      ),
    },
    {
      id: 'entities',
      header: 'Entities',
      cell: (location) => (
        <Anchor
          component={Link}
          to={`/catalog?kind=all&location=${encodeURIComponent(`${location.type}:${location.target}`)}`}
          size="sm"
          aria-label={`${location.entityCount} entities from ${location.target}`}
        >
          {location.entityCount}
        </Anchor>
      ),
    },
    {
      id: 'lastRead',
      header: 'Last read',
      nowrap: true,
      cell: (location) =>
        location.lastReadAt ? (
          <Text span size="sm">
            <RelativeTime value={location.lastReadAt} />
          </Text>
        ) : (
          <Text span size="sm" c="dimmed">
            not yet
          </Text>
        ),
    },
    {
      id: 'status',
      header: 'Status',
      cell: (location) =>
        location.errors.length === 0 ? (
          <StatusBadge status={location.lastReadAt ? 'ok' : 'pending'} label={location.lastReadAt ? 'ok' : 'pending'} />
        ) : (
          <Button
            variant="subtle"
            color="red"
            size="compact-sm"
            onClick={() => toggle(location.id)}
            aria-expanded={expanded.has(location.id)}
            leftSection={expanded.has(location.id) ? <IconChevronDown size={14} aria-hidden /> : <IconChevronRight size={14} aria-hidden />}
          >
            {location.errors.length} {location.errors.length === 1 ? 'error' : 'errors'}
          </Button>
        ),
    },
    {
      id: 'actions',
      header: 'Actions',
      card: 'aside',
      cell: (location) => (
        <Group gap={4} wrap="nowrap">
          <RefreshButton location={location} />
          {location.source === 'api' && (
            <Tooltip label="Unregister">
              <ActionIcon variant="subtle" color="red" aria-label={`Unregister ${location.target}`} onClick={() => props.onRemove(location)}>
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      ),
    },
  ];
  return (
    <DataTable
      label="Locations"
      rows={props.locations}
      columns={columns}
      rowKey={(location) => location.id}
      minTableWidth={760}
      verticalSpacing="sm"
      rowDetail={(location) => (expanded.has(location.id) && location.errors.length > 0 ? <LocationErrors location={location} /> : null)}
    />
  );
}

function LocationErrors(props: { location: LocationStatus }) {
  return (
    <Box bg="var(--mantine-color-red-light)" p="xs" style={{ borderRadius: 'var(--mantine-radius-sm)' }}>
      <List size="sm" spacing={4} aria-label={`Errors of ${props.location.target}`}>
        {props.location.errors.map((error, index) => (
          <List.Item key={index}>
            <Text size="sm" fw={600} span>
              {error.name}
            </Text>
            {error.file && (
              <Code ml={6}>
                {error.file}
                {error.line ? `:${error.line}${error.column ? `:${error.column}` : ''}` : ''}
              </Code>
            )}
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {error.message}
            </Text>
          </List.Item>
        ))}
      </List>
    </Box>
  );
}

function RefreshButton(props: { location: LocationStatus }) {
  const invalidate = useInvalidateCatalog();
  const refresh = useMutation({ mutationFn: () => refreshLocation(props.location), onSuccess: () => invalidate() });
  return (
    <Group gap={4} wrap="nowrap">
      <Tooltip label="Read it again now">
        <ActionIcon variant="subtle" aria-label={`Refresh ${props.location.target}`} loading={refresh.isPending} onClick={() => refresh.mutate()}>
          <IconRefresh size={16} aria-hidden />
        </ActionIcon>
      </Tooltip>
      <Text size="xs" c={refresh.isError ? 'red' : 'dimmed'} role="status" maw={220}>
        {refresh.isError ? `Refresh failed: ${errorMessage(refresh.error)}` : refresh.isSuccess ? 'Read again' : ''}
      </Text>
    </Group>
  );
}
