import { isApiError, usePermission } from '@atrium/frontend-plugin-api';
import { EmptyState, ErrorState, errorMessage, KeyValueTable, LoadingState, PageLayout, RelativeTime, SectionCard, StatusBadge } from '@atrium/ui';
import { Alert, Button, Code, Group, List, Stack, Table, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { AutomationRun, DeliveryView, DryRunResult } from '../common';
import { useAutomation, useAutomationActions } from './api';
import { automationState } from './AutomationsPage';
import { AutomationsNotFound } from './NotFound';

const RUN_TONE = {
  running: 'info',
  succeeded: 'success',
  failed: 'danger',
  'loop-stopped': 'warning',
  'condition-error': 'danger',
  'dry-run': 'neutral',
} as const;
const DELIVERY_TONE = { pending: 'info', succeeded: 'success', failed: 'danger', dead: 'danger' } as const;

/** /automations/:id: the definition, pause/resume, a dry run, and the recent runs with their deliveries. */
export default function AutomationPage() {
  const { id = '' } = useParams();
  const query = useAutomation(id);
  const actions = useAutomationActions(id);
  const canUpdate = usePermission('automations.automation.update').allowed;
  const canRedeliver = usePermission('automations.delivery.redeliver').allowed;
  const canTest = usePermission('automations.automation.test').allowed;
  if (query.isPending) return <LoadingState label="Loading automation…" />;
  if (query.isError) {
    if (isApiError(query.error) && query.error.status === 404) return <AutomationsNotFound title={`No automation named ${id}`} />;
    return <ErrorState title="Could not load the automation" error={query.error} onRetry={() => void query.refetch()} />;
  }
  const { automation: a, runs } = query.data;
  const state = automationState(a);
  return (
    <PageLayout
      title={a.title ?? a.id}
      documentTitle={`${a.title ?? a.id} · Automations`}
      subtitle={a.description}
      actions={
        canUpdate && a.enabled ? (
          a.paused ? (
            <Button loading={actions.resume.isPending} onClick={() => actions.resume.mutate()}>
              Resume
            </Button>
          ) : (
            <Button variant="default" loading={actions.pause.isPending} onClick={() => actions.pause.mutate()}>
              Pause
            </Button>
          )
        ) : undefined
      }
    >
      {(actions.pause.error ?? actions.resume.error) && <Alert color="red">{errorMessage(actions.pause.error ?? actions.resume.error)}</Alert>}
      {a.errors.length > 0 && (
        <Alert color="red" title="This automation is not enabled: its definition has errors">
          <List size="sm">
            {a.errors.map((e) => (
              <List.Item key={e}>{e}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <SectionCard title="Definition">
        <KeyValueTable
          items={[
            { label: 'State', value: <StatusBadge status={state.status} label={state.label} tone={state.tone} /> },
            { label: 'Defined in', value: <Code>{a.source}</Code> },
            {
              label: 'Trigger',
              value: (
                <Code>
                  {a.trigger.type}
                  {a.trigger.cron ? ` (${a.trigger.cron})` : ''}
                  {a.trigger.field ? ` on ${a.trigger.field}` : ''}
                </Code>
              ),
            },
            { label: 'Condition', value: a.condition ? <Code style={{ overflowWrap: 'anywhere' }}>{a.condition}</Code> : 'always' },
            { label: 'Actions', value: a.actions.map((x) => `${x.type}${x.target ? ` → ${x.target}` : ''}`).join('; ') },
          ]}
        />
      </SectionCard>
      {canTest && a.enabled && <DryRun trigger={a.trigger.type} run={(event) => actions.test.mutateAsync(event)} />}
      <SectionCard title="Recent runs" description="Newest first; each run is one event this automation acted on.">
        {runs.length === 0 ? (
          <EmptyState title="No runs yet" description={`It runs when a ${a.trigger.type} event matches its condition.`} />
        ) : (
          <Stack gap="md">
            {runs.map((r) => (
              <RunCard key={r.id} run={r} onRedeliver={canRedeliver ? (d) => actions.redeliver.mutate(d) : undefined} />
            ))}
          </Stack>
        )}
        {actions.redeliver.error && <Alert color="red">{errorMessage(actions.redeliver.error)}</Alert>}
      </SectionCard>
    </PageLayout>
  );
}

function RunCard(props: { run: AutomationRun; onRedeliver?: ((deliveryId: string) => void) | undefined }) {
  const r = props.run;
  return (
    <Stack gap={4} component="article" aria-label={`Run for ${r.event.type} ${r.event.entityRef ?? ''}`}>
      <Group gap="xs" wrap="wrap">
        <StatusBadge status={r.status} tone={RUN_TONE[r.status]} />
        <Text size="sm">
          <Code>{r.event.type}</Code> {r.event.entityRef ?? ''}
        </Text>
        <Text size="xs" c="dimmed">
          <RelativeTime value={r.createdAt} />
        </Text>
      </Group>
      {r.reason && (
        <Text size="sm" c="dimmed">
          {r.reason}
        </Text>
      )}
      {(r.deliveries ?? []).length > 0 && (
        <Table.ScrollContainer minWidth={0}>
          <Table fz="sm" aria-label="Deliveries">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Action</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>Last answer</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(r.deliveries ?? []).map((d) => (
                <DeliveryRow key={d.id} delivery={d} onRedeliver={props.onRedeliver} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function DeliveryRow(props: { delivery: DeliveryView; onRedeliver?: ((deliveryId: string) => void) | undefined }) {
  const d = props.delivery;
  const [open, setOpen] = useState(false);
  const last = d.history.at(-1);
  return (
    <>
      <Table.Tr>
        <Table.Td>
          {d.actionType}
          {d.request?.url ? (
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {d.request.url}
            </Text>
          ) : null}
        </Table.Td>
        <Table.Td>
          <StatusBadge status={d.status} tone={DELIVERY_TONE[d.status]} />
        </Table.Td>
        <Table.Td>{d.attempts}</Table.Td>
        <Table.Td>
          {d.lastStatusCode !== undefined ? `HTTP ${d.lastStatusCode}` : ''}
          {d.lastDurationMs !== undefined ? ` in ${d.lastDurationMs} ms` : ''}
          {d.lastError ? (
            <Text size="xs" c="red" style={{ overflowWrap: 'anywhere' }}>
              {d.lastError}
            </Text>
          ) : null}
        </Table.Td>
        <Table.Td>
          <Group gap={4} wrap="nowrap">
            <Button size="compact-xs" variant="subtle" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
              {open ? 'Hide' : 'Details'}
            </Button>
            {props.onRedeliver && d.status !== 'pending' && d.actionType !== 'emit' && (
              <Button size="compact-xs" variant="light" onClick={() => props.onRedeliver!(d.id)}>
                Re-deliver
              </Button>
            )}
          </Group>
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr>
          <Table.Td colSpan={5}>
            <Stack gap={4}>
              <Text size="xs">
                Idempotency key: <Code>{d.idempotencyKey}</Code>
              </Text>
              <Text size="xs" fw={600}>
                Request
              </Text>
              <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {JSON.stringify(d.request, null, 2)}
              </Code>
              <Text size="xs" fw={600}>
                Attempts
              </Text>
              {d.history.length === 0 ? (
                <Text size="xs" c="dimmed">
                  None yet.
                </Text>
              ) : (
                d.history.map((h) => (
                  <Text key={h.attempt} size="xs">
                    #{h.attempt} <RelativeTime value={h.at} />: {h.statusCode !== undefined ? `HTTP ${h.statusCode}` : 'no answer'} in {h.durationMs} ms
                    {h.error ? ` — ${h.error}` : ''}
                  </Text>
                ))
              )}
              {last?.response && (
                <>
                  <Text size="xs" fw={600}>
                    Last response (start)
                  </Text>
                  <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxHeight: 240, overflow: 'auto' }}>
                    {last.response}
                  </Code>
                </>
              )}
            </Stack>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

function DryRun(props: { trigger: string; run: (event: unknown) => Promise<DryRunResult> }) {
  const [text, setText] = useState(() => JSON.stringify({ type: props.trigger, entityRef: 'component:default/example' }, null, 2));
  const [result, setResult] = useState<DryRunResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setError(undefined);
    setResult(undefined);
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (e) {
      setError(`The event is not valid JSON: ${(e as Error).message}`);
      return;
    }
    setBusy(true);
    try {
      setResult(await props.run(event));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <SectionCard
      title="Test with an event"
      description="A dry run: shows whether the event would run the automation and what each action would send. Nothing is sent or recorded."
    >
      <Stack gap="xs">
        <Textarea
          label="Event (type, entityRef, payload, before, after, hop)"
          autosize
          minRows={4}
          maxRows={16}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          styles={{ input: { fontFamily: 'monospace' } }}
        />
        <Group>
          <Button onClick={() => void submit()} loading={busy}>
            Dry run
          </Button>
        </Group>
        {error && <Alert color="red">{error}</Alert>}
        {result && (
          <Alert color={result.matched ? 'green' : 'gray'} title={result.matched ? 'It would run' : 'It would not run'}>
            {result.reason && <Text size="sm">{result.reason}</Text>}
            {result.actions.map((x, i) => (
              <Stack key={i} gap={2}>
                <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {x.type}: {JSON.stringify(x.request, null, 2)}
                </Code>
                {x.error && (
                  <Text size="sm" c="red">
                    It would fail: {x.error}
                  </Text>
                )}
              </Stack>
            ))}
          </Alert>
        )}
      </Stack>
    </SectionCard>
  );
}
