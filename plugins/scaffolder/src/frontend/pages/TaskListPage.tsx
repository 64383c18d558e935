import { EmptyState, EntityRefLink, PageLayout, QueryBoundary, RelativeTime } from '@atrium/ui';
import { Anchor, Button, Card, Group, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ListTasksResponse, SerializedTask } from '../../common/index';
import { TASK_PAGE_SIZE, useTasks } from '../api';
import { TaskStatusBadge } from '../components/StatusBadges';
import { TASK_STATUSES, taskStatusLabel } from '../display/statusLabels';
import { taskTemplateTitle } from '../display/taskTitle';

/** `?page=N` (from 1); anything else is the first page. */
function pageNumber(value: string | null): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : 1;
}

/** Wider than this the runs are a table; narrower (phones), a list of cards. */
const TABLE_QUERY = '(min-width: 48em)';

/** /create/tasks: runs of templates, mine or everyone's, filterable by status. */
export default function TaskListPage() {
  const [params, setParams] = useSearchParams();
  const owner = (['owned', 'all', 'waiting'].includes(params.get('show') ?? '') ? params.get('show') : 'owned') as 'owned' | 'all' | 'waiting';
  const page = pageNumber(params.get('page'));
  const setPage = (n: number) =>
    setParams((p) => {
      if (n > 1) p.set('page', String(n));
      else p.delete('page');
      return p;
    });
  const setOwner = (v: string) =>
    setParams(
      (p) => {
        p.set('show', v);
        p.delete('page');
        return p;
      },
      { replace: true },
    );
  const [status, setStatusState] = useState<string | null>(null);
  const setStatus = (v: string | null) => {
    setStatusState(v);
    if (page > 1) setPage(1);
  };
  const query = useTasks(owner, status ?? undefined, (page - 1) * TASK_PAGE_SIZE);
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
        isEmpty={(d) => d.tasks.length === 0 && page === 1}
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
        {(data) => (
          <Stack gap="sm">
            {wide ? <TaskTable tasks={data.tasks} /> : <TaskCards tasks={data.tasks} />}
            <TaskPager data={data} page={page} onPage={setPage} loading={query.isPlaceholderData} />
          </Stack>
        )}
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

/**
 * Which runs are shown of how many ("1–100 of 1,000+ runs": the server counts up to 1,000 and
 * then says its total is a lower bound), with the previous and next pages.
 */
export function TaskPager(props: { data: ListTasksResponse; page: number; onPage: (page: number) => void; loading?: boolean }) {
  const { data, page } = props;
  const first = (page - 1) * TASK_PAGE_SIZE + 1;
  const last = first + data.tasks.length - 1;
  const total = `${data.totalTasks.toLocaleString('en')}${data.totalTasksIsLowerBound ? '+' : ''}`;
  const hasNext = data.tasks.length === TASK_PAGE_SIZE && (data.totalTasksIsLowerBound === true || last < data.totalTasks);
  if (page === 1 && !hasNext) {
    return (
      <Text size="sm" c="dimmed">
        {data.totalTasks === 1 ? '1 run' : `${total} runs`}
      </Text>
    );
  }
  if (data.tasks.length === 0) {
    // Past the end (an old link, or fewer runs than when the page was opened): lead to the first
    // page, and to the last one when the total is exact.
    const lastPage = data.totalTasksIsLowerBound ? undefined : Math.max(1, Math.ceil(data.totalTasks / TASK_PAGE_SIZE));
    return (
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" c="dimmed" aria-live="polite">
          {`No runs on page ${page.toLocaleString('en')}`}
          {data.totalTasks > 0 ? ` (there are ${total} runs)` : ''}
        </Text>
        <Group gap="xs" role="navigation" aria-label="Pages of runs">
          <Button variant="default" size="xs" disabled={props.loading} onClick={() => props.onPage(1)}>
            First page
          </Button>
          {lastPage !== undefined && lastPage > 1 && lastPage < page ? (
            <Button variant="default" size="xs" disabled={props.loading} onClick={() => props.onPage(lastPage)}>
              Last page
            </Button>
          ) : null}
        </Group>
      </Group>
    );
  }
  return (
    <Group justify="space-between" wrap="wrap" gap="xs">
      <Text size="sm" c="dimmed" aria-live="polite">
        {`${first.toLocaleString('en')}–${last.toLocaleString('en')} of ${total} runs`}
      </Text>
      <Group gap="xs" role="navigation" aria-label="Pages of runs">
        <Button variant="default" size="xs" disabled={page <= 1 || props.loading} onClick={() => props.onPage(page - 1)}>
          Previous
        </Button>
        <Button variant="default" size="xs" disabled={!hasNext || props.loading} onClick={() => props.onPage(page + 1)}>
          Next
        </Button>
      </Group>
    </Group>
  );
}
