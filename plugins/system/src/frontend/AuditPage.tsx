import { buildApiUrl } from '@atrium/frontend-plugin-api';
import { DataTable, EmptyState, PageLayout, QueryBoundary, SectionCard, StatusBadge, formatDateTime, type DataTableColumn } from '@atrium/ui';
import { Alert, Button, Code, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconDownload, IconFilter, IconListSearch } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import type { AuditEventRow } from '../common';
import { auditQueryParams, EMPTY_AUDIT_FILTERS, type AuditFilterForm, type AuditQueryParams } from './auditFilters';
import { useAuditEvents } from './useAuditEvents';

const OUTCOMES = [
  { value: '', label: 'Any outcome' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
  { value: 'denied', label: 'Denied' },
];

/** The admin page at /audit: the audit log with filters, newest first, and a CSV export. */
export default function AuditPage() {
  const [form, setForm] = useState<AuditFilterForm>(EMPTY_AUDIT_FILTERS);
  const [applied, setApplied] = useState<AuditQueryParams>({});
  const [formError, setFormError] = useState<string | undefined>();
  const query = useAuditEvents(applied);
  const rows = useMemo<AuditEventRow[]>(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = auditQueryParams(form);
    if ('error' in r) return setFormError(r.error);
    setFormError(undefined);
    setApplied(r.params);
  };
  const set = (key: keyof AuditFilterForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  return (
    <PageLayout
      title="Audit log"
      subtitle={
        <>
          Who changed what, when, and with what outcome. Each record is chained to the one before it; <Code>atrium audit verify</Code> checks the chain.
        </>
      }
      actions={
        <Button
          component="a"
          href={buildApiUrl('/system/audit/events.csv', applied)}
          variant="default"
          size="sm"
          leftSection={<IconDownload size={16} aria-hidden />}
        >
          Export CSV
        </Button>
      }
    >
      <Stack gap="lg">
        <SectionCard title="Filters">
          <form onSubmit={submit} aria-label="Audit log filters">
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
              <TextInput label="Actor" placeholder="user:default/jane" value={form.actor} onChange={(e) => set('actor')(e.currentTarget.value)} />
              <TextInput label="Action (prefix)" placeholder="catalog.entity" value={form.action} onChange={(e) => set('action')(e.currentTarget.value)} />
              <TextInput label="Target" placeholder="component:default/payments" value={form.target} onChange={(e) => set('target')(e.currentTarget.value)} />
              <Select label="Outcome" data={OUTCOMES} value={form.outcome} onChange={(v) => set('outcome')(v ?? '')} allowDeselect={false} />
              <TextInput type="datetime-local" label="From" value={form.from} onChange={(e) => set('from')(e.currentTarget.value)} />
              <TextInput type="datetime-local" label="To" value={form.to} onChange={(e) => set('to')(e.currentTarget.value)} />
            </SimpleGrid>
            {formError && (
              <Alert color="red" mt="sm" role="alert">
                {formError}
              </Alert>
            )}
            <Group mt="sm" gap="xs">
              <Button type="submit" size="sm" leftSection={<IconFilter size={16} aria-hidden />}>
                Apply filters
              </Button>
              <Button
                variant="subtle"
                size="sm"
                onClick={() => {
                  setForm(EMPTY_AUDIT_FILTERS);
                  setApplied({});
                  setFormError(undefined);
                }}
              >
                Clear
              </Button>
            </Group>
          </form>
        </SectionCard>
        <SectionCard title="Records">
          <QueryBoundary
            query={{ data: query.data, error: query.error, isPending: query.isPending, dataUpdatedAt: query.dataUpdatedAt, refetch: query.refetch }}
            loadingLabel="Loading the audit log…"
            errorTitle="Could not load the audit log"
            isEmpty={() => rows.length === 0}
            empty={
              <EmptyState
                icon={<IconListSearch aria-hidden />}
                title="No audit records"
                description={
                  Object.keys(applied).length > 0
                    ? 'Nothing matches these filters. Widen the time range or clear a filter.'
                    : 'Changes made through the portal will appear here.'
                }
              />
            }
          >
            {() => (
              <Stack gap="sm">
                <DataTable label="Audit records" rows={rows} columns={COLUMNS} rowKey={(r) => r.id} highlightOnHover />
                {query.hasNextPage && (
                  <Group justify="center">
                    <Button variant="default" size="sm" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
                      Load older records
                    </Button>
                  </Group>
                )}
              </Stack>
            )}
          </QueryBoundary>
        </SectionCard>
      </Stack>
    </PageLayout>
  );
}

const OUTCOME_TONE = { succeeded: 'success', failed: 'danger', denied: 'warning' } as const;

const COLUMNS: Array<DataTableColumn<AuditEventRow>> = [
  { id: 'time', header: 'Time', nowrap: true, cell: (r) => formatDateTime(new Date(r.time)) },
  {
    id: 'action',
    header: 'Action',
    primary: true,
    cell: (r) => (
      <Text ff="monospace" size="sm" fw={600}>
        {r.action}
      </Text>
    ),
  },
  { id: 'actor', header: 'Actor', cell: (r) => r.actor },
  {
    id: 'target',
    header: 'Target',
    cell: (r) =>
      r.target ? (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {r.target}
        </Text>
      ) : null,
  },
  { id: 'outcome', header: 'Outcome', cell: (r) => <StatusBadge status={r.outcome} tone={OUTCOME_TONE[r.outcome]} label={r.outcome} /> },
  {
    id: 'request',
    header: 'Request',
    cell: (r) =>
      r.requestId ? (
        <Text size="xs" ff="monospace" c="dimmed">
          {r.requestId}
          {r.clientAddress ? ` · ${r.clientAddress}` : ''}
        </Text>
      ) : null,
  },
];
