import { isApiError, useEntity, usePermission } from '@atrium/frontend-plugin-api';
import { ErrorState, RelativeTime, SectionCard, StatusBadge, type StatusTone } from '@atrium/ui';
import { ActionIcon, Anchor, Badge, Code, Group, Loader, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconPlugConnectedX, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { EntityScmPart, EntityScmSummary, ScmRunState } from '../common';
import { useEntityScm } from './api';

const PROVIDER = { github: 'GitHub', gitlab: 'GitLab' } as const;

const RUN_LABEL: Record<ScmRunState, { label: string; tone: StatusTone }> = {
  success: { label: 'Passed', tone: 'success' },
  failure: { label: 'Failed', tone: 'danger' },
  running: { label: 'Running', tone: 'info' },
  queued: { label: 'Queued', tone: 'info' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
  skipped: { label: 'Skipped', tone: 'neutral' },
  other: { label: 'Other', tone: 'warning' },
};

/** The annotation the card reads (the plugin shows the card only when one is set). */
export function scmAnnotationOf(entity: { metadata: Record<string, unknown> }): string | undefined {
  const annotations = (entity.metadata['annotations'] ?? {}) as Record<string, unknown>;
  const value = annotations['github.com/project-slug'] ?? annotations['gitlab.com/project-slug'];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function Section<T>(props: {
  title: string;
  what: string;
  empty: string;
  part: EntityScmPart<T>;
  count: (data: T) => number;
  children: (data: T) => ReactNode;
}) {
  const { part } = props;
  return (
    <Stack gap={6}>
      <Text size="sm" fw={600}>
        {props.title}
      </Text>
      {part.status === 'error' ? (
        <Group gap={6} wrap="nowrap" align="flex-start" data-testid="scm-part-error">
          <IconAlertTriangle size={16} color="var(--mantine-color-red-7)" style={{ flexShrink: 0, marginTop: 2 }} aria-hidden />
          <Text size="sm" c="red.8" style={{ overflowWrap: 'anywhere' }}>
            Could not read the {props.what}: {part.error.message}
          </Text>
        </Group>
      ) : props.count(part.data) === 0 ? (
        <Text size="sm" c="dimmed">
          {props.empty}
        </Text>
      ) : (
        props.children(part.data)
      )}
    </Stack>
  );
}

function Summary({ data }: { data: EntityScmSummary }) {
  const provider = PROVIDER[data.provider];
  const changeWord = data.provider === 'github' ? 'pull requests' : 'merge requests';
  return (
    <Stack gap="md">
      <Section
        title="Latest CI runs"
        what="CI runs"
        empty={`No CI runs yet: ${provider} has no ${data.provider === 'github' ? 'workflow runs' : 'pipelines'} for this repository.`}
        part={data.runs}
        count={(runs) => runs.length}
      >
        {(runs) => (
          <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {runs.map((r) => (
              <Group key={r.id} component="li" gap="xs" wrap="nowrap" justify="space-between">
                <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                  <StatusBadge status={r.state} label={RUN_LABEL[r.state].label} tone={RUN_LABEL[r.state].tone} />
                  <Anchor href={r.url} target="_blank" rel="noreferrer" size="sm" truncate title={`${r.name} (${r.detail})`}>
                    {r.name}
                  </Anchor>
                  {r.branch && (
                    <Code fz="xs" style={{ whiteSpace: 'nowrap' }}>
                      {r.branch}
                    </Code>
                  )}
                </Group>
                <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                  <RelativeTime value={r.createdAt} />
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Section>
      <Section
        title={`Open ${changeWord}`}
        what={`open ${changeWord}`}
        empty={`No open ${changeWord}.`}
        part={data.changes}
        count={(changes) => changes.length}
      >
        {(changes) => (
          <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {changes.map((c) => (
              <Group key={c.id} component="li" gap="xs" wrap="nowrap" justify="space-between">
                <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                  <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
                    {c.reference}
                  </Text>
                  <Anchor href={c.url} target="_blank" rel="noreferrer" size="sm" truncate title={c.title}>
                    {c.title}
                  </Anchor>
                  {c.draft && (
                    <Badge size="xs" variant="outline" color="gray" style={{ flexShrink: 0 }}>
                      Draft
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                  {c.author} · opened <RelativeTime value={c.createdAt} />
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Section>
      <Section
        title="Last commit on the default branch"
        what="last commit"
        empty="The default branch has no commits yet."
        part={data.lastCommit}
        count={(commit) => (commit ? 1 : 0)}
      >
        {(commit) =>
          commit && (
            <Group gap="xs" wrap="nowrap" justify="space-between">
              <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                <Anchor href={commit.url} target="_blank" rel="noreferrer" ff="monospace" size="sm" style={{ flexShrink: 0 }}>
                  {commit.sha.slice(0, 7)}
                </Anchor>
                <Text size="sm" truncate title={commit.message}>
                  {commit.title}
                </Text>
              </Group>
              <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                {commit.author} · <RelativeTime value={commit.committedAt} />
              </Text>
            </Group>
          )
        }
      </Section>
    </Stack>
  );
}

/** The host a "no integration" message names (`… for host ghe.example.com …`), if it names one. */
function hostNamedIn(message: string | undefined): string | undefined {
  return /\bfor host ([A-Za-z0-9.:[\]-]+)/.exec(message ?? '')?.[1];
}

/**
 * No integration covers the repository's host: one line for someone who can add one, with a link
 * to the Integrations page (the server's full message on hover). Nothing for anyone else, who
 * could not act on it: every example component names a GitHub repository, and a fresh install
 * has no integration.
 */
function NotConnected(props: { provider: string; message: string | undefined }) {
  const manage = usePermission('integrations.integration.create');
  if (!manage.allowed) return null;
  const host = hostNamedIn(props.message);
  return (
    <Paper component="section" withBorder radius="md" px="md" py="xs" aria-label="Source control" data-testid="scm-not-configured">
      <Group gap="xs" wrap="nowrap">
        <IconPlugConnectedX size={16} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} aria-hidden />
        <Text size="sm" truncate style={{ minWidth: 0, flex: 1 }} title={props.message}>
          <Text span size="sm" fw={600}>
            Source control:
          </Text>{' '}
          not connected to {props.provider}
          {host ? ` (${host})` : ''}
        </Text>
        <Anchor component={Link} to="/integrations" size="sm" style={{ flexShrink: 0 }} title="Set up an integration on the Integrations page">
          Connect
        </Anchor>
      </Group>
    </Paper>
  );
}

/**
 * On the entity overview, for an entity with `github.com/project-slug` or `gitlab.com/project-slug`:
 * the repository's latest CI runs, open pull or merge requests and last commit, with a link to
 * the repository and a refresh. Each part shows on its own: one the provider failed on says why,
 * beside the others. When no integration covers the host, a one-line note for whoever may add one.
 */
export default function EntityScmCard() {
  const entity = useEntity();
  const slug = scmAnnotationOf(entity);
  const { query, refresh } = useEntityScm({ kind: entity.kind, namespace: entity.metadata.namespace ?? 'default', name: entity.metadata.name });
  const data = query.data;
  const error = refresh.error ?? query.error;
  const notConfigured = isApiError(error) && error.errorName === 'IntegrationNotConfiguredError';
  const badAnnotation = isApiError(error) && error.errorName === 'InvalidAnnotationError';
  if (notConfigured && !data) {
    const annotations = (entity.metadata['annotations'] ?? {}) as Record<string, unknown>;
    return <NotConnected provider={annotations['github.com/project-slug'] ? 'GitHub' : 'GitLab'} message={error?.message} />;
  }
  return (
    <SectionCard
      title="Source control"
      description={
        data ? (
          <>
            <Anchor href={data.projectUrl} target="_blank" rel="noreferrer" size="sm">
              {data.project}
            </Anchor>{' '}
            on {PROVIDER[data.provider]} ({data.host})
          </>
        ) : (
          slug
        )
      }
      actions={
        <Tooltip label={data ? `Fetched ${new Date(data.fetchedAt).toLocaleTimeString()}; ask again now` : 'Ask again now'}>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label="Refresh source control"
            loading={refresh.isPending}
            disabled={query.isPending}
            onClick={() => refresh.mutate()}
          >
            <IconRefresh size={16} aria-hidden />
          </ActionIcon>
        </Tooltip>
      }
    >
      {query.isPending ? (
        <Group gap="xs">
          <Loader size="xs" aria-hidden />
          <Text size="sm" c="dimmed">
            Reading the repository…
          </Text>
        </Group>
      ) : badAnnotation ? (
        <Text size="sm" c="orange.8" style={{ overflowWrap: 'anywhere' }}>
          {error?.message}
        </Text>
      ) : error && !data ? (
        <ErrorState error={error} title="Could not read the repository" onRetry={() => void query.refetch()} />
      ) : data ? (
        <>
          {error && (
            <Text size="xs" c="red" role="alert">
              Refresh failed: {error.message}
            </Text>
          )}
          <Summary data={data} />
        </>
      ) : null}
    </SectionCard>
  );
}
