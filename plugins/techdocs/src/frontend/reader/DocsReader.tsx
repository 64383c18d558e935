import { EmptyState, ErrorState, LoadingState, usePageTitle } from '@atrium/ui';
import { Alert, Anchor, Box, Button, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertTriangle, IconBook2, IconEdit, IconFileOff, IconListTree } from '@tabler/icons-react';
import { Link } from 'react-router';
import { stringifyEntityRef } from '@atrium/catalog-model';
import type { DocsEntityDetail, EntityTriplet } from '../../common';
import { useDocsEntity, useDocsPage, useDocsSite, useRequestBuild } from '../api';
import '../docs.css';
import { BuildPanel } from './BuildPanel';
import { DocsContent } from './DocsContent';
import { DocsNav } from './DocsNav';
import { DocsToc } from './DocsToc';
import { PrevNext } from './PrevNext';
import { SiteSearch } from './SiteSearch';

export interface DocsReaderProps {
  triplet: EntityTriplet;
  /** Route of the page to show (`''` is the home page). */
  route: string;
  anchor: string | null;
  /** Link to a page of this site in the current context (docs route or entity tab). */
  hrefFor(route: string, anchor?: string | null): string;
  navigate(route: string, anchor?: string | null): void;
  /** Inside an entity page: the site name is a section heading, not the page title. */
  embedded?: boolean;
}

/** The docs reader: nav on the left, the page in the middle, its table of contents on the right. */
export function DocsReader(props: DocsReaderProps) {
  const { triplet } = props;
  const entity = useDocsEntity(triplet);
  const built = entity.data?.build.builtAt ?? null;
  const site = useDocsSite(triplet, built !== null, built);
  const page = useDocsPage(triplet, props.route, site.data !== undefined, site.data?.etag);
  const [navOpen, nav] = useDisclosure(false);
  const siteName = site.data?.siteName ?? entity.data?.siteName ?? entity.data?.title ?? triplet.name;
  // Inside an entity page the entity page names the tab; a docs page adds its own title in front.
  usePageTitle([page.data?.title, props.embedded ? entity.data?.title : siteName]);

  if (entity.error) {
    const missing = (entity.error as { status?: number }).status === 404;
    return missing ? (
      <EmptyState
        icon={<IconBook2 aria-hidden />}
        title="No docs for this entity"
        description={`${stringifyEntityRef(triplet)} is not in the catalog, or has no backstage.io/techdocs-ref annotation.`}
        action={
          <Button component={Link} to="/docs" variant="default">
            All docs
          </Button>
        }
      />
    ) : (
      <ErrorState error={entity.error} title="Could not load these docs" onRetry={() => void entity.refetch()} />
    );
  }
  if (!entity.data) return <LoadingState label="Loading docs…" />;

  const header = (
    <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
      {/* The site name heads the reader; each page's own h1 is the page's title. */}
      <Box>
        <Text fw={700} size={props.embedded ? 'lg' : 'xl'} lh={1.3} data-testid="docs-site-name">
          {siteName}
        </Text>
        <Text size="sm" c="dimmed">
          Docs of{' '}
          <Anchor component={Link} to={`/catalog/${triplet.namespace}/${triplet.kind}/${triplet.name}`.toLowerCase()} size="sm">
            {entity.data.title}
          </Anchor>
        </Text>
      </Box>
      <BuildPanel triplet={triplet} detail={entity.data} />
    </Group>
  );

  if (!site.data) {
    return (
      <Stack gap="lg">
        {header}
        {site.error && (site.error as { status?: number }).status !== 404 ? (
          <ErrorState error={site.error} title="Could not load the site" onRetry={() => void site.refetch()} />
        ) : (
          <NotBuilt triplet={triplet} detail={entity.data} />
        )}
      </Stack>
    );
  }

  const editUrl = page.data?.editUrl;
  return (
    <Stack gap="lg">
      {header}
      {entity.data.build.status === 'failed' && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title="The latest build failed">
          You are reading the last good build. Open the build log for the reason.
        </Alert>
      )}
      <div className="atrium-docs-layout">
        <aside className="atrium-docs-sidebar" aria-label="Site navigation">
          <SiteSearch triplet={triplet} hrefFor={props.hrefFor} onPick={props.navigate} />
          <Button
            className="atrium-docs-nav-toggle"
            variant="default"
            size="xs"
            leftSection={<IconListTree size={14} aria-hidden />}
            onClick={nav.toggle}
            aria-expanded={navOpen}
            mt="sm"
          >
            {navOpen ? 'Hide pages' : 'Show pages'}
          </Button>
          {/* On narrow screens the page list folds away behind the toggle; CSS shows it on wide ones. */}
          <div className="atrium-docs-nav" data-open={navOpen}>
            <DocsNav nav={site.data.nav} route={props.route} hrefFor={props.hrefFor} />
          </div>
        </aside>
        <main className="atrium-docs-main">
          {page.error ? (
            (page.error as { status?: number }).status === 404 ? (
              <EmptyState
                icon={<IconFileOff aria-hidden />}
                title="Page not found"
                description={`This site has no page at "${props.route || '/'}". It may have been moved or renamed.`}
                action={
                  <Button component={Link} to={props.hrefFor(site.data.homeRoute)} variant="default">
                    Go to the home page
                  </Button>
                }
              />
            ) : (
              <ErrorState error={page.error} title="Could not load this page" onRetry={() => void page.refetch()} />
            )
          ) : !page.data ? (
            <LoadingState label="Loading page…" />
          ) : (
            <>
              {editUrl && (
                <Group justify="flex-end" mb={-8}>
                  <Anchor href={editUrl} target="_blank" rel="noopener noreferrer" size="sm">
                    <Group gap={4} component="span">
                      <IconEdit size={14} aria-hidden /> Edit this page
                    </Group>
                  </Anchor>
                </Group>
              )}
              <DocsContent page={page.data} anchor={props.anchor} navigate={props.navigate} />
              <PrevNext prev={page.data.prev} next={page.data.next} hrefFor={props.hrefFor} />
            </>
          )}
        </main>
        <aside className="atrium-docs-toc" aria-label="On this page">
          {page.data && <DocsToc toc={page.data.toc} route={props.route} active={props.anchor} navigate={props.navigate} />}
        </aside>
      </div>
    </Stack>
  );
}

/** The site has no published build yet: say why, and offer a build. */
function NotBuilt(props: { triplet: EntityTriplet; detail: DocsEntityDetail }) {
  const build = useRequestBuild(props.triplet);
  const { status } = props.detail.build;
  if (status === 'queued' || status === 'building') return <LoadingState label={status === 'queued' ? 'Waiting for a builder…' : 'Building the docs…'} />;
  const errors = props.detail.log.filter((e) => e.level === 'error');
  return (
    <EmptyState
      icon={status === 'failed' ? <IconAlertTriangle aria-hidden /> : <IconBook2 aria-hidden />}
      title={status === 'failed' ? 'The docs could not be built' : 'These docs have not been built yet'}
      description={
        status === 'failed' ? (
          <Stack gap={4} align="center">
            {errors.slice(0, 3).map((e, i) => (
              <Text key={i} size="sm" ff="monospace">
                {e.file ? `${e.file}: ` : ''}
                {e.message}
              </Text>
            ))}
          </Stack>
        ) : (
          'Builds run in the background after the catalog reads the entity. You can also start one now.'
        )
      }
      action={
        <Button onClick={() => build.mutate(true)} loading={build.isPending}>
          {status === 'failed' ? 'Try again' : 'Build now'}
        </Button>
      }
    />
  );
}
