import { isApiError, useEntity } from '@atrium/frontend-plugin-api';
import { ErrorState, RelativeTime, SectionCard, StatusBadge, type StatusTone } from '@atrium/ui';
import { ActionIcon, Anchor, Badge, Code, Group, Loader, Stack, Text, Tooltip } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { EntityScmSummary, ScmRunState } from '../common';
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

function Section(props: { title: string; empty: string; count: number; children: ReactNode }) {
  return (
    <Stack gap={6}>
      <Text size="sm" fw={600}>
        {props.title}
      </Text>
      {props.count === 0 ? (
        <Text size="sm" c="dimmed">
          {props.empty}
        </Text>
      ) : (
        props.children
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
        empty={`No CI runs yet: ${provider} has no ${data.provider === 'github' ? 'workflow runs' : 'pipelines'} for this repository.`}
        count={data.runs.length}
      >
        <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {data.runs.map((r) => (
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
      </Section>
      <Section title={`Open ${changeWord}`} empty={`No open ${changeWord}.`} count={data.changes.length}>
        <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {data.changes.map((c) => (
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
      </Section>
      <Section title="Last commit on the default branch" empty="The default branch has no commits yet." count={data.lastCommit ? 1 : 0}>
        {data.lastCommit && (
          <Group gap="xs" wrap="nowrap" justify="space-between">
            <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
              <Anchor href={data.lastCommit.url} target="_blank" rel="noreferrer" ff="monospace" size="sm" style={{ flexShrink: 0 }}>
                {data.lastCommit.sha.slice(0, 7)}
              </Anchor>
              <Text size="sm" truncate title={data.lastCommit.message}>
                {data.lastCommit.title}
              </Text>
            </Group>
            <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
              {data.lastCommit.author} · <RelativeTime value={data.lastCommit.committedAt} />
            </Text>
          </Group>
        )}
      </Section>
    </Stack>
  );
}

/**
 * On the entity overview, for an entity with `github.com/project-slug` or `gitlab.com/project-slug`:
 * the repository's latest CI runs, open pull or merge requests and last commit, with a link to
 * the repository and a refresh. Says so when no integration covers the host (and where to add one).
 */
export default function EntityScmCard() {
  const entity = useEntity();
  const slug = scmAnnotationOf(entity);
  const { query, refresh } = useEntityScm({ kind: entity.kind, namespace: entity.metadata.namespace ?? 'default', name: entity.metadata.name });
  const data = query.data;
  const error = refresh.error ?? query.error;
  const notConfigured = isApiError(error) && error.errorName === 'IntegrationNotConfiguredError';
  const badAnnotation = isApiError(error) && error.errorName === 'InvalidAnnotationError';
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
      ) : notConfigured ? (
        <Stack gap={4} align="flex-start" data-testid="scm-not-configured">
          <Text size="sm" fw={600}>
            Not connected
          </Text>
          <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {error?.message}
          </Text>
          <Anchor component={Link} to="/integrations" size="sm">
            Set up an integration
          </Anchor>
        </Stack>
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
