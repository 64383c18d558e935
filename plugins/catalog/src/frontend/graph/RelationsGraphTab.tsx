import type { Entity } from '@atrium/catalog-model';
import { useEntity } from '@atrium/frontend-plugin-api';
import { EmptyState, QueryBoundary, SectionCard } from '@atrium/ui';
import { Chip, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { getEntitiesByRefs } from '../api/catalogApi';
import { catalogKeys, LIVE_REFRESH_MS } from '../api/queries';
import { collectRelationGraph, GRAPH_FIELDS, refOf, RELATION_GROUPS } from './buildGraph';
import type { GraphDirection } from './layout';
import { GraphPanel } from './GraphPanel';

const MAX_NODES = 150;

/** The groups selected at first: people and teams for org entities, the software's relations for the rest. */
function defaultGroups(entity: Entity): string[] {
  const kind = entity.kind.toLowerCase();
  if (kind === 'group' || kind === 'user') return ['org', 'ownership'];
  return ['dependencies', 'apis', 'parts', 'ownership', 'other'];
}

/** The Relations tab: an interactive graph of the relations around the entity. */
export default function RelationsGraphTab() {
  const entity = useEntity<Entity>();
  const [depth, setDepth] = useState('1');
  const [groups, setGroups] = useState<string[]>(() => defaultGroups(entity));
  const [direction, setDirection] = useState<GraphDirection>('RIGHT');
  const options = { depth: Number(depth), groups: [...groups].sort(), etag: entity.metadata.etag ?? null };
  const graph = useQuery({
    queryKey: catalogKeys.graph(refOf(entity), options),
    queryFn: ({ signal }) =>
      collectRelationGraph(entity, { depth: Number(depth), groups: new Set(groups), maxNodes: MAX_NODES }, (refs) =>
        getEntitiesByRefs(refs, { fields: GRAPH_FIELDS, signal }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFRESH_MS,
  });

  return (
    <SectionCard title="Relations" description="Entities related to this one. Choose how far to look and which relations to follow.">
      <Stack gap="sm">
        <Group gap="lg" align="flex-end" wrap="wrap">
          <div>
            <Text size="sm" fw={500} id="graph-depth-label" mb={4}>
              Depth
            </Text>
            <SegmentedControl
              aria-labelledby="graph-depth-label"
              value={depth}
              onChange={setDepth}
              data={['1', '2', '3', '4'].map((d) => ({ value: d, label: `${d} ${d === '1' ? 'hop' : 'hops'}` }))}
              size="xs"
            />
          </div>
          <div>
            <Text size="sm" fw={500} id="graph-direction-label" mb={4}>
              Layout
            </Text>
            <SegmentedControl
              aria-labelledby="graph-direction-label"
              value={direction}
              onChange={(value) => setDirection(value as GraphDirection)}
              data={[
                { value: 'RIGHT', label: 'Left to right' },
                { value: 'DOWN', label: 'Top to bottom' },
              ]}
              size="xs"
            />
          </div>
        </Group>
        <div role="group" aria-labelledby="graph-relations-label">
          <Text size="sm" fw={500} id="graph-relations-label" mb={4}>
            Relations
          </Text>
          <Chip.Group multiple value={groups} onChange={setGroups}>
            <Group gap={6}>
              {RELATION_GROUPS.map((group) => (
                <Chip key={group.id} value={group.id} size="xs" variant="outline">
                  {group.label}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        </div>
        <QueryBoundary
          query={graph}
          loadingLabel="Collecting related entities…"
          errorTitle="Could not load the relations"
          isEmpty={(data) => data.nodes.length <= 1}
          empty={
            <EmptyState
              compact
              title="No related entities"
              description={
                groups.length === 0
                  ? 'Select at least one kind of relation above.'
                  : 'Nothing is related to this entity through the selected relations. Select more relations, or describe them in its catalog-info.yaml (spec.dependsOn, spec.providesApis, spec.system…).'
              }
            />
          }
        >
          {(data) => (
            <GraphPanel
              data={data}
              direction={direction}
              label={`Relation graph of ${entity.metadata.name}: ${data.nodes.length} entities, ${data.edges.length} relations`}
              truncatedNotice={`Showing the first ${MAX_NODES} entities. Reduce the depth or the relations to see the rest.`}
            />
          )}
        </QueryBoundary>
      </Stack>
    </SectionCard>
  );
}
