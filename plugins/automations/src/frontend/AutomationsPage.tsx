import { DataTable, EmptyState, PageLayout, QueryBoundary, RelativeTime, StatusBadge } from '@atrium/ui';
import { Anchor, Code, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { AutomationSummary } from '../common';
import { useAutomations } from './api';

export function automationState(a: AutomationSummary): { status: string; label: string; tone: 'success' | 'warning' | 'danger' | 'neutral' } {
  if (a.errors.length) return { status: 'error', label: 'Not enabled: errors', tone: 'danger' };
  if (!a.enabled) return { status: 'disabled', label: 'Disabled', tone: 'neutral' };
  if (a.paused) return { status: 'paused', label: 'Paused', tone: 'warning' };
  return { status: 'active', label: 'Active', tone: 'success' };
}

/** /automations: every automation, its trigger, state and recent activity. */
export default function AutomationsPage() {
  const query = useAutomations();
  return (
    <PageLayout title="Automations" subtitle="Rules that act when something happens in the catalog or a plugin: webhooks, chat, notifications, email.">
      <QueryBoundary
        query={query}
        loadingLabel="Loading automations…"
        errorTitle="Could not load automations"
        isEmpty={(d) => d.items.length === 0}
        empty={
          <EmptyState
            title="No automations yet"
            description="Add an Automation entity to the catalog (kind: Automation, apiVersion: atrium.dev/v1alpha1) or list rules under automations.rules in app-config.yaml; see the Automations docs."
          />
        }
      >
        {(data) => (
          <DataTable
            label="Automations"
            rows={data.items}
            rowKey={(a) => a.id}
            columns={[
              {
                id: 'name',
                header: 'Automation',
                primary: true,
                cell: (a) => (
                  <Stack gap={0}>
                    <Anchor component={Link} to={`/automations/${encodeURIComponent(a.id)}`}>
                      {a.title ?? a.id}
                    </Anchor>
                    {a.description && (
                      <Text size="xs" c="dimmed">
                        {a.description}
                      </Text>
                    )}
                  </Stack>
                ),
              },
              { id: 'trigger', header: 'Trigger', cell: (a) => <Code>{a.trigger.type}</Code> },
              { id: 'actions', header: 'Actions', cell: (a) => a.actions.map((x) => x.type).join(', ') },
              {
                id: 'state',
                header: 'State',
                card: 'aside',
                cell: (a) => {
                  const s = automationState(a);
                  return <StatusBadge status={s.status} label={s.label} tone={s.tone} />;
                },
              },
              {
                id: 'runs',
                header: 'Runs',
                cell: (a) =>
                  a.lastRunAt ? (
                    <>
                      {a.runCount}, last <RelativeTime value={a.lastRunAt} />
                    </>
                  ) : (
                    'none yet'
                  ),
              },
              {
                id: 'failed',
                header: 'Failed deliveries',
                cell: (a) =>
                  a.failedDeliveries ? (
                    <Text c="red" size="sm">
                      {a.failedDeliveries}
                    </Text>
                  ) : (
                    '0'
                  ),
              },
            ]}
          />
        )}
      </QueryBoundary>
    </PageLayout>
  );
}
