import { EmptyState, EntityRefLink, PageLayout, QueryBoundary, RelativeTime } from '@atrium/ui';
import { Anchor, Button, Card, Group, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { SerializedTask } from '../../common/index';
import { useTasks } from '../api';
import { TaskStatusBadge } from '../components/StatusBadges';
import { TASK_STATUSES, taskStatusLabel } from '../display/statusLabels';
import { taskTemplateTitle } from '../display/taskTitle';

/** Wider than this the runs are a table; narrower (phones), a list of cards. */
const TABLE_QUERY = '(min-width: 48em)';

/** /create/tasks: runs of templates, mine or everyone's, filterable by status. */
export default function TaskListPage() {
  const [params, setParams] = useSearchParams();
  const owner = (['owned', 'all', 'waiting'].includes(params.get('show') ?? '') ? params.get('show') : 'owned') as 'owned' | 'all' | 'waiting';
  const setOwner = (v: string) =>
    setParams(
      (p) => {
        p.set('show', v);
        return p;
      },
      { replace: true },
    );
  const [status, setStatus] = useState<string | null>(null);
  const query = useTasks(owner, status ?? undefined);
  const wide = useMediaQuery(TABLE_QUERY, typeof window !== 'undefined' ? window.matchMedia(TABLE_QUERY).matches : true, { getInitialValueInEffect: false });
  return (
    <PageLayout
      title="Template runs"
      subtitle="Tasks started from software templates."
      actions={
        <Button component={Link} to="/create" variant="default">
          Templates
        </Button>
      }
    >
      <Group gap="sm" wrap="wrap">
        <SegmentedControl
          aria-label="Whose runs"
          value={owner}
          onChange={setOwner}
          data={[
            { value: 'owned', label: 'My tasks' },
            { value: 'waiting', label: 'Waiting for me' },
            { value: 'all', label: 'All' },
          ]}
        />
        <Select
          aria-label="Status"
          placeholder="Any status"
          clearable
          value={status}
          onChange={setStatus}
          data={TASK_STATUSES.map((s) => ({ value: s, label: taskStatusLabel(s) }))}
          w={{ base: '100%', xs: 220 }}
        />
      </Group>
      <QueryBoundary
        query={query}
        loadingLabel="Loading runs…"
        errorTitle="Could not load the runs"
        isEmpty={(d) => d.tasks.length === 0}
        empty={
          status ? (
            <EmptyState title={`No runs are ${taskStatusLabel(status).toLowerCase()}`} description="Clear the status filter to see every run." />
          ) : owner === 'waiting' ? (
            <EmptyState title="Nothing is waiting for you" description="Runs that wait for your approval (or your team’s) show here." />
          ) : (
            <EmptyState
              title="No runs yet"
              description={
                owner === 'owned'
                  ? 'Pick a template on the Create page to start one, or show everyone’s runs.'
                  : 'Pick a template on the Create page to start one.'
              }
              action={
                <Button component={Link} to="/create">
                  Create
                </Button>
              }
            />
          )
        }
      >
        {(data) => (wide ? <TaskTable tasks={data.tasks} /> : <TaskCards tasks={data.tasks} />)}
      </QueryBoundary>
    </PageLayout>
  );
}

function TaskLink({ task }: { task: SerializedTask }) {
  return (
    <Anchor component={Link} to={`/create/tasks/${task.id}`} fw={500}>
      {taskTemplateTitle(task)}
    </Anchor>
  );
}

function TaskTable({ tasks }: { tasks: SerializedTask[] }) {
  return (
    <Table striped highlightOnHover aria-label="Runs" layout="fixed">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="34%">Template</Table.Th>
          <Table.Th w="14%">Run</Table.Th>
          <Table.Th w="20%">Started by</Table.Th>
          <Table.Th w="14%">Started</Table.Th>
          <Table.Th w="18%">Status</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {tasks.map((t) => (
          <Table.Tr key={t.id}>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>
              <TaskLink task={t} />
            </Table.Td>
            <Table.Td>
              <Text ff="monospace" size="sm">
                {t.id.slice(0, 8)}
              </Text>
            </Table.Td>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>
              {t.createdBy ? <EntityRefLink entityRef={t.createdBy} defaultKind="user" size="sm" /> : '—'}
            </Table.Td>
            <Table.Td>
              <RelativeTime value={t.createdAt} />
            </Table.Td>
            <Table.Td>
              <TaskStatusBadge status={t.status} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The runs on a phone: one card each, nothing side by side that could overlap. */
function TaskCards({ tasks }: { tasks: SerializedTask[] }) {
  return (
    <Stack gap="sm" role="list" aria-label="Runs">
      {tasks.map((t) => (
        <Card key={t.id} withBorder padding="sm" role="listitem">
          <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
            <div style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
              <TaskLink task={t} />
            </div>
            <TaskStatusBadge status={t.status} />
          </Group>
          <Text size="sm" c="dimmed" mt={4}>
            Run{' '}
            <Text span ff="monospace" size="sm">
              {t.id.slice(0, 8)}
            </Text>
            , started <RelativeTime value={t.createdAt} />
            {t.createdBy ? (
              <>
                {' by '}
                <EntityRefLink entityRef={t.createdBy} defaultKind="user" size="sm" />
              </>
            ) : null}
          </Text>
        </Card>
      ))}
    </Stack>
  );
}
