import type { Entity } from '@atrium/catalog-model';
import { useEntity } from '@atrium/frontend-plugin-api';
import { EmptyState, ErrorState, LoadingState, SectionCard } from '@atrium/ui';
import { Alert, SegmentedControl, Stack, Text } from '@mantine/core';
import { Component, lazy, Suspense, useState, type ReactNode } from 'react';
import PlainDefinition from './PlainDefinition';

// Each renderer is its own chunk: opening a GraphQL API does not download the OpenAPI renderer.
const RENDERERS: Record<string, ReturnType<typeof lazy<(props: { definition: string }) => ReactNode>>> = {
  openapi: lazy(() => import('./OpenApiView')),
  swagger: lazy(() => import('./OpenApiView')),
  asyncapi: lazy(() => import('./AsyncApiView')),
  graphql: lazy(() => import('./GraphqlView')),
};

const LANGUAGES: Record<string, string> = { grpc: 'Protocol Buffers', graphql: 'GraphQL SDL', openapi: 'OpenAPI', asyncapi: 'AsyncAPI', trpc: 'tRPC' };

/** The Definition tab of an API: a rendered reference where Atrium has a renderer, the text otherwise. */
export default function ApiDefinitionTab() {
  const entity = useEntity<Entity>();
  const spec = (entity.spec ?? {}) as { type?: unknown; definition?: unknown };
  const type = typeof spec.type === 'string' ? spec.type.toLowerCase() : '';
  const definition = typeof spec.definition === 'string' ? spec.definition : undefined;
  const Renderer = RENDERERS[type];
  const [view, setView] = useState<'reference' | 'raw'>(Renderer ? 'reference' : 'raw');

  if (!definition) {
    return (
      <EmptyState
        title="This API has no definition"
        description="Add spec.definition to its descriptor: the definition text, or a $text placeholder pointing at the file (e.g. $text: ./openapi.yaml)."
      />
    );
  }
  return (
    <SectionCard
      title="Definition"
      description={`${LANGUAGES[type] ?? spec.type ?? 'Unknown type'}${Renderer ? '' : ' — shown as text; Atrium has no renderer for this type'}`}
      actions={
        Renderer ? (
          <SegmentedControl
            size="xs"
            aria-label="How to show the definition"
            value={view}
            onChange={(v) => setView(v as 'reference' | 'raw')}
            data={[
              { value: 'reference', label: type === 'graphql' ? 'Explorer' : 'Reference' },
              { value: 'raw', label: 'Raw' },
            ]}
          />
        ) : undefined
      }
    >
      {view === 'raw' || !Renderer ? (
        <PlainDefinition definition={definition} language={LANGUAGES[type]} />
      ) : (
        <ParseErrorFallback key={definition} definition={definition} language={LANGUAGES[type]}>
          <Suspense fallback={<LoadingState label="Loading the renderer…" />}>
            <Renderer definition={definition} />
          </Suspense>
        </ParseErrorFallback>
      )}
    </SectionCard>
  );
}

/** A definition the renderer cannot parse is still shown, as text, under the parser's message. */
class ParseErrorFallback extends Component<{ definition: string; language?: string; children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    if (!this.state.error) return this.props.children;
    const message = this.state.error instanceof Error ? this.state.error.message : String(this.state.error);
    if (/Loading chunk|dynamically imported module|Failed to fetch/i.test(message)) {
      return <ErrorState error={this.state.error} title="Could not load the renderer" onRetry={() => this.setState({ error: null })} />;
    }
    return (
      <Stack gap="sm">
        <Alert color="yellow" variant="light" title="The definition could not be rendered">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {message}
          </Text>
        </Alert>
        <PlainDefinition definition={this.props.definition} language={this.props.language} />
      </Stack>
    );
  }
}
