import { EmptyState, PageLayout, QueryBoundary, RelativeTime, StatusBadge } from '@atrium/ui';
import { Anchor, Button, Group, SegmentedControl, Select, Table } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useTasks } from '../api';

/** /create/tasks: runs of templates, mine or everyone's, filterable by status. */
export default function TaskListPage() {
  const [owner, setOwner] = useState<'owned' | 'all'>('owned');
  const [status, setStatus] = useState<string | null>(null);
  const query = useTasks(owner === 'owned', status ?? undefined);
  return (
    <PageLayout title="Template runs" subtitle="Tasks started from software templates." actions={<Button component={Link} to="/create" variant="default">Templates</Button>}>
      <Group>
        <SegmentedControl value={owner} onChange={(v) => setOwner(v as 'owned' | 'all')} data={[{ value: 'owned', label: 'Mine' }, { value: 'all', label: 'All' }]} />
        <Select
          aria-label="Status"
          placeholder="Any status"
          clearable
          value={status}
          onChange={setStatus}
          data={['open', 'awaiting-approval', 'processing', 'completed', 'failed', 'cancelled']}
        />
      </Group>
      <QueryBoundary
        query={query}
        loadingLabel="Loading tasks…"
        isEmpty={(d) => d.tasks.length === 0}
        empty={<EmptyState title="No runs yet" description="Pick a template on the Create page to start one." action={<Button component={Link} to="/create">Create</Button>} />}
      >
        {(data) => (
          <Table striped highlightOnHover aria-label="Tasks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Task</Table.Th>
                <Table.Th>Template</Table.Th>
                <Table.Th>Created by</Table.Th>
                <Table.Th>Started</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.tasks.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/create/tasks/${t.id}`} ff="monospace" size="sm">
                      {t.id.slice(0, 8)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{(t.spec.templateInfo.entity?.metadata?.['title'] as string | undefined) ?? t.templateRef}</Table.Td>
                  <Table.Td>{t.createdBy}</Table.Td>
                  <Table.Td>
                    <RelativeTime value={t.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={t.status === 'completed' ? 'ok' : t.status === 'failed' ? 'error' : t.status} label={t.status} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryBoundary>
    </PageLayout>
  );
}
