import { usePermission } from '@atrium/frontend-plugin-api';
import { EmptyState, errorMessage, PageLayout, QueryBoundary, RelativeTime, SectionCard, StatusBadge } from '@atrium/ui';
import { Alert, Anchor, Badge, Button, Checkbox, Group, List, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ConnectionTestResult, DiscoveryStatus, IntegrationSummary, NewIntegration } from '../common';
import { useDiscoveryStatus, useIntegrationActions, useIntegrations } from './api';

const STATUS_TONE = { idle: 'success', scanning: 'info', paused: 'warning', error: 'danger' } as const;

/** /integrations: connect GitHub (or GitLab), test the credentials, and see what discovery found. */
export default function IntegrationsPage() {
  const integrations = useIntegrations();
  const discovery = useDiscoveryStatus();
  const canCreate = usePermission('integrations.integration.create').allowed;
  const [adding, setAdding] = useState(false);
  const fromConfig = (discovery.data?.items ?? []).filter((s) => !s.integrationId);
  return (
    <PageLayout
      title="Integrations"
      subtitle="Connect a GitHub or GitLab organisation: its repositories' catalog-info.yaml files fill the catalog."
      actions={canCreate && !adding ? <Button onClick={() => setAdding(true)}>Add integration</Button> : undefined}
    >
      {adding && <AddIntegrationForm onDone={() => setAdding(false)} />}
      <QueryBoundary
        query={integrations}
        loadingLabel="Loading integrations…"
        errorTitle="Could not load integrations"
        isEmpty={(d) => d.items.length === 0 && fromConfig.length === 0}
        empty={
          <EmptyState
            title="No integrations yet"
            description={
              canCreate ? 'Add one with a token or GitHub App to discover your repositories.' : 'An admin adds integrations here or in app-config.yaml.'
            }
          />
        }
      >
        {(data) => (
          <Stack gap="md">
            {data.items.map((i) => (
              <IntegrationCard key={i.id} integration={i} status={(discovery.data?.items ?? []).filter((s) => s.integrationId === i.id)} />
            ))}
            {fromConfig.map((s) => (
              <SectionCard key={s.targetId} title={`Discovery: ${s.owner}`} description="From app-config.yaml (integrations.discovery)">
                <DiscoveryView status={s} />
              </SectionCard>
            ))}
          </Stack>
        )}
      </QueryBoundary>
    </PageLayout>
  );
}

function IntegrationCard({ integration: i, status }: { integration: IntegrationSummary; status: DiscoveryStatus[] }) {
  const { test, run, remove } = useIntegrationActions();
  const resource = { resourceRef: `integration:${i.id}` };
  const canTest = usePermission({ permission: 'integrations.integration.test', ...resource }).allowed && i.source === 'api';
  const canRun = usePermission({ permission: 'integrations.integration.update', ...resource }).allowed && i.source === 'api' && !!i.discovery;
  const canDelete = usePermission({ permission: 'integrations.integration.delete', ...resource }).allowed && i.source === 'api';
  const [confirming, setConfirming] = useState(false);
  const lastTest: ConnectionTestResult | null = (test.data && test.variables === i.id ? test.data : null) ?? i.lastTest;
  const owner = i.discovery?.org ?? i.discovery?.user ?? i.discovery?.group;
  return (
    <SectionCard
      title={i.name}
      description={`${i.kind === 'github' ? 'GitHub' : i.kind === 'gitlab' ? 'GitLab' : i.kind} · ${i.host} · ${i.authType === 'app' ? 'GitHub App' : 'token'}${owner ? ` · discovers ${owner}` : ''}${i.source === 'config' ? ' · from config' : ''}`}
      actions={
        <Group gap="xs">
          {canTest && (
            <Button variant="default" size="xs" loading={test.isPending && test.variables === i.id} onClick={() => test.mutate(i.id)}>
              Test connection
            </Button>
          )}
          {canRun && (
            <Button variant="default" size="xs" loading={run.isPending && run.variables === i.id} onClick={() => run.mutate(i.id)}>
              Run discovery now
            </Button>
          )}
          {canDelete &&
            (confirming ? (
              <Button color="red" size="xs" loading={remove.isPending} onClick={() => remove.mutate(i.id)}>
                Remove, and its entities
              </Button>
            ) : (
              <Button variant="subtle" color="red" size="xs" onClick={() => setConfirming(true)}>
                Remove
              </Button>
            ))}
        </Group>
      }
    >
      <Stack gap="sm">
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            Secrets stored (encrypted):
          </Text>
          {i.secretsSet.length ? (
            i.secretsSet.map((s) => (
              <Badge key={s} variant="light" size="sm">
                {s}
              </Badge>
            ))
          ) : (
            <Text size="sm">none</Text>
          )}
        </Group>
        {test.isError && test.variables === i.id && (
          <Alert color="red" title="Test failed">
            {errorMessage(test.error)}
          </Alert>
        )}
        {run.isError && run.variables === i.id && (
          <Alert color="red" title="Could not start discovery">
            {errorMessage(run.error)}
          </Alert>
        )}
        {remove.isError && (
          <Alert color="red" title="Could not remove">
            {errorMessage(remove.error)}
          </Alert>
        )}
        {lastTest && (
          <Alert
            color={lastTest.ok ? 'green' : lastTest.missingScopes?.length ? 'yellow' : 'red'}
            title={lastTest.ok ? 'Connection works' : 'Connection problem'}
            role="status"
          >
            <Text size="sm">{lastTest.message}</Text>
            {lastTest.missingScopes && lastTest.missingScopes.length > 0 && <Text size="sm">Missing scopes: {lastTest.missingScopes.join(', ')}</Text>}
            <Text size="xs" c="dimmed">
              Tested <RelativeTime value={lastTest.testedAt} />
              {lastTest.rateLimit?.remaining !== null && lastTest.rateLimit?.remaining !== undefined ? ` · ${lastTest.rateLimit.remaining} API calls left` : ''}
            </Text>
          </Alert>
        )}
        {status.length === 0 && i.discovery && (
          <Text size="sm" c="dimmed">
            Discovery has not run yet.
          </Text>
        )}
        {status.map((s) => (
          <DiscoveryView key={s.targetId} status={s} />
        ))}
      </Stack>
    </SectionCard>
  );
}

function DiscoveryView({ status: s }: { status: DiscoveryStatus }) {
  const [showAll, setShowAll] = useState(false);
  const repos = showAll ? s.repos : s.repos.slice(0, 10);
  return (
    <Stack gap="xs" aria-label={`Discovery of ${s.owner}`}>
      <Group gap="sm" wrap="wrap">
        <StatusBadge status={s.status} tone={STATUS_TONE[s.status]} />
        <Text size="sm">
          {s.reposScanned} repositories scanned · {s.reposWithDescriptor} with catalog-info.yaml · {s.entities} entities
        </Text>
        {s.scanFinishedAt && (
          <Text size="sm" c="dimmed">
            last finished <RelativeTime value={s.scanFinishedAt} />
          </Text>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {s.apiCalls} API calls so far
        {s.rateLimit.remaining !== null ? ` · rate limit: ${s.rateLimit.remaining} of ${s.rateLimit.limit ?? '?'} left` : ''}
        {s.rateLimit.resetAt ? `, resets ${new Date(s.rateLimit.resetAt).toLocaleTimeString()}` : ''}
      </Text>
      {s.status === 'paused' && s.pausedUntil && (
        <Alert color="yellow" title="Paused by GitHub's rate limit">
          {s.pauseReason} It resumes <RelativeTime value={s.pausedUntil} /> ({new Date(s.pausedUntil).toLocaleTimeString()}).
        </Alert>
      )}
      {s.lastError && s.status === 'error' && (
        <Alert color="red" title="Discovery failed">
          {s.lastError}
        </Alert>
      )}
      {s.errors.length > 0 && (
        <Alert color="orange" title={`${s.errors.length} ${s.errors.length === 1 ? 'repository has' : 'repositories have'} problems`}>
          <List size="sm">
            {s.errors.slice(0, 20).map((e) => (
              <List.Item key={`${e.repo}:${e.path ?? ''}`}>
                <b>{e.repo}</b>: {e.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {s.repos.length > 0 && (
        <List size="sm" aria-label="Repositories found">
          {repos.map((r) => (
            <List.Item key={r.name}>
              <Anchor href={r.url} target="_blank" rel="noreferrer">
                {r.name}
              </Anchor>{' '}
              <Text span size="xs" c="dimmed">
                {r.hasDescriptor ? `${r.entities} ${r.entities === 1 ? 'entity' : 'entities'}` : 'no catalog-info.yaml'}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
      {s.repos.length > 10 && (
        <Button variant="subtle" size="xs" onClick={() => setShowAll(!showAll)} w="fit-content">
          {showAll ? 'Show fewer' : `Show all ${s.repos.length}`}
        </Button>
      )}
    </Stack>
  );
}

function AddIntegrationForm({ onDone }: { onDone: () => void }) {
  const { create } = useIntegrationActions();
  const [kind, setKind] = useState('github');
  const [auth, setAuth] = useState<'token' | 'app'>('token');
  const [form, setForm] = useState({
    name: '',
    apiBaseUrl: '',
    token: '',
    appId: '',
    privateKey: '',
    installationId: '',
    webhookSecret: '',
    owner: '',
    ownerType: 'org',
    catalogPath: '',
    generateComponents: false,
    syncOrg: false,
  });
  const set = (key: keyof typeof form) => (value: string | boolean) => setForm((f) => ({ ...f, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: NewIntegration = { kind, name: form.name.trim() };
    if (form.apiBaseUrl.trim()) body.apiBaseUrl = form.apiBaseUrl.trim();
    if (auth === 'token') body.token = form.token;
    else {
      body.appId = Number(form.appId);
      body.privateKey = form.privateKey;
      if (form.installationId) body.installationId = Number(form.installationId);
    }
    if (form.webhookSecret) body.webhookSecret = form.webhookSecret;
    if (form.owner.trim()) {
      body.discovery = {
        [kind === 'gitlab' ? 'group' : form.ownerType]: form.owner.trim(),
        ...(form.catalogPath.trim() ? { catalogPath: form.catalogPath.trim() } : {}),
        generateComponents: form.generateComponents,
        syncOrg: form.syncOrg,
      };
    }
    create.mutate(body, { onSuccess: onDone });
  };
  return (
    <SectionCard title="Add an integration" description="Credentials are stored encrypted and never shown again.">
      <form onSubmit={submit} aria-label="Add an integration">
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Kind"
              data={[
                { value: 'github', label: 'GitHub' },
                { value: 'gitlab', label: 'GitLab' },
              ]}
              value={kind}
              onChange={(v) => setKind(v ?? 'github')}
              allowDeselect={false}
            />
            <TextInput label="Name" required value={form.name} onChange={(e) => set('name')(e.currentTarget.value)} placeholder="acme" />
          </SimpleGrid>
          <TextInput
            label="API URL"
            description={
              kind === 'github' ? 'Empty for github.com; https://<host>/api/v3 for GitHub Enterprise Server' : 'e.g. https://gitlab.example.com/api/v4'
            }
            value={form.apiBaseUrl}
            onChange={(e) => set('apiBaseUrl')(e.currentTarget.value)}
          />
          {kind === 'github' && (
            <SegmentedControl
              aria-label="Credentials"
              value={auth}
              onChange={(v) => setAuth(v as 'token' | 'app')}
              data={[
                { value: 'token', label: 'Use a token' },
                { value: 'app', label: 'Use a GitHub App' },
              ]}
              w="fit-content"
            />
          )}
          {auth === 'token' || kind !== 'github' ? (
            <TextInput
              label="Token"
              type="password"
              required
              autoComplete="off"
              description={kind === 'github' ? 'Classic token with repo and read:org, or a fine-grained token' : 'A token with read_api'}
              value={form.token}
              onChange={(e) => set('token')(e.currentTarget.value)}
            />
          ) : (
            <>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label="App ID" required inputMode="numeric" value={form.appId} onChange={(e) => set('appId')(e.currentTarget.value)} />
                <TextInput
                  label="Installation ID"
                  description="Optional: looked up on the org otherwise"
                  inputMode="numeric"
                  value={form.installationId}
                  onChange={(e) => set('installationId')(e.currentTarget.value)}
                />
              </SimpleGrid>
              <Textarea
                label="Private key (PEM)"
                required
                autosize
                minRows={3}
                value={form.privateKey}
                onChange={(e) => set('privateKey')(e.currentTarget.value)}
              />
            </>
          )}
          <TextInput
            label="Webhook secret"
            type="password"
            autoComplete="off"
            description="The secret you give the webhook; deliveries signed with it are accepted"
            value={form.webhookSecret}
            onChange={(e) => set('webhookSecret')(e.currentTarget.value)}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {kind === 'github' && (
              <Select
                label="Discover the repositories of"
                data={[
                  { value: 'org', label: 'an organisation' },
                  { value: 'user', label: 'a user' },
                ]}
                value={form.ownerType}
                onChange={(v) => set('ownerType')(v ?? 'org')}
                allowDeselect={false}
              />
            )}
            <TextInput
              label={kind === 'gitlab' ? 'Group' : form.ownerType === 'org' ? 'Organisation' : 'User'}
              value={form.owner}
              onChange={(e) => set('owner')(e.currentTarget.value)}
              description="Empty: no discovery"
            />
          </SimpleGrid>
          <TextInput
            label="Descriptor path"
            placeholder="/catalog-info.yaml"
            description="A path or a glob such as /services/*/catalog-info.yaml"
            value={form.catalogPath}
            onChange={(e) => set('catalogPath')(e.currentTarget.value)}
          />
          <Checkbox
            label="Import repositories without catalog-info.yaml as generated Components"
            checked={form.generateComponents}
            onChange={(e) => set('generateComponents')(e.currentTarget.checked)}
          />
          <Checkbox label="Sync teams and members as Groups and Users" checked={form.syncOrg} onChange={(e) => set('syncOrg')(e.currentTarget.checked)} />
          {create.isError && (
            <Alert color="red" title="Could not add the integration">
              {errorMessage(create.error)}
            </Alert>
          )}
          <Group gap="sm">
            <Button type="submit" loading={create.isPending}>
              Add
            </Button>
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}
