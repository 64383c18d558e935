import type { Entity } from '@atrium/catalog-model';
import { useEntity } from '@atrium/frontend-plugin-api';
import { EmptyState, QueryBoundary, SectionCard } from '@atrium/ui';
import { useQuery } from '@tanstack/react-query';
import { getEntitiesByRefs } from '../api/catalogApi';
import { catalogKeys, LIVE_REFRESH_MS } from '../api/queries';
import { GRAPH_FIELDS, refOf } from './buildGraph';
import { GraphPanel } from './GraphPanel';
import { collectSystemDiagram } from './systemDiagram';

/** The System diagram tab of systems and domains: domain → systems → components, APIs and resources. */
export default function SystemDiagramTab() {
  const entity = useEntity<Entity>();
  const isDomain = entity.kind.toLowerCase() === 'domain';
  const diagram = useQuery({
    queryKey: catalogKeys.graph(refOf(entity), { diagram: true, etag: entity.metadata.etag ?? null }),
    queryFn: ({ signal }) => collectSystemDiagram(entity, (refs) => getEntitiesByRefs(refs, { fields: GRAPH_FIELDS, signal })),
    refetchInterval: LIVE_REFRESH_MS,
  });
  return (
    <SectionCard
      title={isDomain ? 'Domain diagram' : 'System diagram'}
      description={
        isDomain
          ? 'The systems in this domain and what they are made of.'
          : 'The domain this system belongs to, and its components, APIs and resources with the relations among them.'
      }
    >
      <QueryBoundary
        query={diagram}
        loadingLabel="Collecting the system’s parts…"
        errorTitle="Could not load the diagram"
        isEmpty={(data) => data.nodes.length <= 1}
        empty={
          <EmptyState
            compact
            title={isDomain ? 'No systems in this domain' : 'Nothing is part of this system'}
            description={
              isDomain
                ? 'Set spec.domain on a system to place it in this domain.'
                : 'Set spec.system on components, APIs and resources to make them part of this system.'
            }
          />
        }
      >
        {(data) => (
          <GraphPanel
            data={data}
            direction="LEFT"
            label={`${isDomain ? 'Domain' : 'System'} diagram of ${entity.metadata.name}`}
            truncatedNotice="This diagram shows the first 150 entities only."
          />
        )}
      </QueryBoundary>
    </SectionCard>
  );
}
