import type { Entity } from '@atrium/catalog-model';
import { EntityProvider, isApiError, useExtensions } from '@atrium/frontend-plugin-api';
import { EmptyState, ErrorState, LoadingState, PageLayout, PluginContent, StaleDataNotice, usePageTitle } from '@atrium/ui';
import { Button, Stack, Tabs } from '@mantine/core';
import { IconCategory } from '@tabler/icons-react';
import { lazy, Suspense, useState } from 'react';
import { Link, Route, Routes, useNavigate, useParams } from 'react-router';
import { useEntityByName } from '../api/queries';
import { entityDisplayName } from '../components/entityDisplay';
import { EntityHeader } from './EntityHeader';
import { EntityProcessingErrors } from './EntityProcessingErrors';
import { EntityStatusBanner } from './EntityStatusBanner';
import { activeTab, entityPageTabs, type EntityPageTab } from './entityTabs';
import { OverviewTab } from './OverviewTab';
import { UnregisterDialog } from './UnregisterDialog';

// Heavy tabs load on demand: the graph library, the API renderers and the YAML dumper stay out
// of the entity page's first load.
const RelationsTab = lazy(() => import('../graph/RelationsGraphTab'));
const SystemDiagramTab = lazy(() => import('../graph/SystemDiagramTab'));
const DefinitionTab = lazy(() => import('../apidocs/ApiDefinitionTab'));
const YamlTab = lazy(() => import('./YamlTab'));
const HistoryTab = lazy(() => import('./HistoryTab'));

/** /catalog/:namespace/:kind/:name/* — one entity, its tabs, and other plugins' tabs and cards. */
export default function EntityPage() {
  const params = useParams();
  const ref = { kind: params.kind ?? '', namespace: params.namespace ?? 'default', name: params.name ?? '' };
  const query = useEntityByName(ref);
  usePageTitle(query.data ? entityDisplayName(query.data) : ref.name);

  if (!query.data) {
    if (isApiError(query.error) && query.error.status === 404) {
      return (
        <PageLayout title="Entity not found">
          <EmptyState
            icon={<IconCategory aria-hidden />}
            title={`No ${ref.kind} named “${ref.name}” in namespace “${ref.namespace}”`}
            description="It may have been renamed or unregistered, or the address is mistyped. Search the catalog for it."
            action={
              <Button component={Link} to={`/catalog?kind=all&q=${encodeURIComponent(ref.name)}`}>
                Search the catalog
              </Button>
            }
          />
        </PageLayout>
      );
    }
    if (query.error) {
      return <ErrorState error={query.error} title="Could not load the entity" onRetry={() => void query.refetch()} />;
    }
    return <LoadingState label="Loading entity…" />;
  }
  return (
    <EntityProvider entity={query.data}>
      {query.error ? <StaleDataNotice error={query.error} updatedAt={query.dataUpdatedAt} onRetry={() => void query.refetch()} /> : null}
      <EntityView entity={query.data} subPath={params['*'] ?? ''} />
    </EntityProvider>
  );
}

function EntityView(props: { entity: Entity; subPath: string }) {
  const { entity } = props;
  const { entityTabs } = useExtensions();
  const navigate = useNavigate();
  const [unregistering, setUnregistering] = useState(false);
  const tabs = entityPageTabs(entity, entityTabs);
  const current = activeTab(tabs, props.subPath);
  const base = `/catalog/${encodeURIComponent(entity.metadata.namespace ?? 'default')}/${encodeURIComponent(entity.kind.toLowerCase())}/${encodeURIComponent(entity.metadata.name)}`;

  return (
    <Stack gap="md">
      <EntityHeader entity={entity} onUnregister={() => setUnregistering(true)} />
      <EntityStatusBanner entity={entity} onDelete={() => setUnregistering(true)} />
      <EntityProcessingErrors entity={entity} />
      <Tabs
        value={current?.id ?? null}
        onChange={(id) => {
          const tab = tabs.find((t) => t.id === id);
          if (tab) navigate(tab.path ? `${base}/${tab.path}` : base);
        }}
        keepMounted={false}
      >
        {/* One row of tabs at any width: on a phone the row scrolls sideways instead of wrapping. */}
        <Tabs.List aria-label="Entity sections" style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden', scrollbarWidth: 'none' }}>
          {tabs.map((tab) => (
            <Tabs.Tab key={tab.id} value={tab.id} style={{ flexShrink: 0 }}>
              {tab.title}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((tab) => (
          <Tabs.Panel key={tab.id} value={tab.id} pt="md">
            {tab.id === current?.id ? <TabContent entity={entity} tabs={tabs} /> : null}
          </Tabs.Panel>
        ))}
      </Tabs>
      {!current && (
        <EmptyState
          title="This tab does not exist"
          description="The plugin that provides it may not be installed, or it does not apply to this entity."
          action={
            <Button component={Link} to={base} variant="default">
              Go to the overview
            </Button>
          }
        />
      )}
      {unregistering && <UnregisterDialog entity={entity} onClose={() => setUnregistering(false)} />}
    </Stack>
  );
}

function TabContent(props: { entity: Entity; tabs: EntityPageTab[] }) {
  const pluginTabs = props.tabs.filter((t) => t.extension);
  return (
    <Suspense fallback={<LoadingState label="Loading…" />}>
      <Routes>
        <Route index element={<OverviewTab entity={props.entity} />} />
        <Route path="relations" element={<RelationsTab />} />
        <Route path="diagram" element={<SystemDiagramTab />} />
        <Route path="definition" element={<DefinitionTab />} />
        <Route path="yaml" element={<YamlTab />} />
        <Route path="history" element={<HistoryTab />} />
        {pluginTabs.map((tab) => (
          <Route
            key={tab.id}
            path={`${tab.path}/*`}
            element={<PluginContent pluginId={tab.extension!.pluginId} content={tab.extension!} resetKey={props.entity.metadata.uid} />}
          />
        ))}
      </Routes>
    </Suspense>
  );
}
