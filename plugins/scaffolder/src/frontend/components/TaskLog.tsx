import { Badge, Code, Group, ScrollArea, Stack, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { RelativeTime } from '@atrium/ui';
import { IconAlertTriangle, IconArrowBackUp, IconCheck, IconCircleDashed, IconHourglass, IconLoader2, IconPlayerSkipForward, IconX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { SerializedTaskEvent, StepRecord, TaskSpec, WaitingOn } from '../../common/index';
import { eventStreamUrl } from '../api';
import { stepStatusLabel } from '../display/statusLabels';

interface TaskStream {
  taskId: string;
  events: SerializedTaskEvent[];
  done: boolean;
}
const NO_EVENTS: SerializedTaskEvent[] = [];

/** Follows a task's event stream (Backstage's SSE shape) until its completion event. */
export function useTaskEvents(taskId: string): { events: SerializedTaskEvent[]; done: boolean } {
  // What was received belongs to the task it was for: another task starts from nothing.
  const [stream, setStream] = useState<TaskStream>({ taskId, events: NO_EVENTS, done: false });
  useEffect(() => {
    const update = (change: (current: TaskStream) => TaskStream) =>
      setStream((prev) => change(prev.taskId === taskId ? prev : { taskId, events: NO_EVENTS, done: false }));
    const source = new EventSource(eventStreamUrl(taskId));
    const onEvent = (e: MessageEvent<string>) => {
      const event = JSON.parse(e.data) as SerializedTaskEvent;
      const finished = event.type === 'completion' || event.type === 'cancelled';
      update((s) => ({ ...s, events: s.events.some((p) => p.id === event.id) ? s.events : [...s.events, event], done: s.done || finished }));
      if (finished) source.close();
    };
    for (const type of ['log', 'completion', 'cancelled', 'recovered']) source.addEventListener(type, onEvent as EventListener);
    source.onerror = () => {
      // The stream closes after completion; the browser would reconnect otherwise.
      if (source.readyState === EventSource.CLOSED) update((s) => ({ ...s, done: true }));
    };
    return () => source.close();
  }, [taskId]);
  return stream.taskId === taskId ? { events: stream.events, done: stream.done } : { events: NO_EVENTS, done: false };
}

const STATUS_ICON: Record<string, { color: string; icon: React.ReactNode }> = {
  completed: { color: 'green', icon: <IconCheck size={14} /> },
  failed: { color: 'red', icon: <IconX size={14} /> },
  cancelled: { color: 'gray', icon: <IconX size={14} /> },
  skipped: { color: 'gray', icon: <IconPlayerSkipForward size={14} /> },
  processing: { color: 'blue', icon: <IconLoader2 size={14} /> },
  open: { color: 'gray', icon: <IconCircleDashed size={14} /> },
  waiting: { color: 'yellow', icon: <IconHourglass size={14} /> },
  'needs-attention': { color: 'orange', icon: <IconAlertTriangle size={14} /> },
  undone: { color: 'gray', icon: <IconArrowBackUp size={14} /> },
};

/** The recorded step outcomes win over what the event stream said (they survive restarts and retries). */
export function mergedStepStatuses(events: SerializedTaskEvent[], records: StepRecord[] | undefined): Record<string, string> {
  return { ...stepStatuses(events), ...Object.fromEntries((records ?? []).map((r) => [r.id, r.status])) };
}

export function stepStatuses(events: SerializedTaskEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events) if (e.body.stepId && e.body.status) out[e.body.stepId] = e.body.status;
  return out;
}

/** One line under a step of the timeline: what it waits for and since when, when it finished, how many attempts. */
function StepDetail({ record, waitingOn, status }: { record?: StepRecord; waitingOn?: WaitingOn; status: string }) {
  if (status === 'waiting' && waitingOn) {
    return (
      <Text size="xs" c="dimmed">
        Waiting on {waitingOn.description} since <RelativeTime value={waitingOn.since} />
      </Text>
    );
  }
  if (!record) return null;
  const attempts = record.attempt > 1 ? ` · attempt ${record.attempt}` : '';
  if (record.finishedAt && (status === 'completed' || status === 'failed' || status === 'skipped' || status === 'undone')) {
    return (
      <Text size="xs" c="dimmed">
        {status === 'failed' ? 'Failed' : 'Finished'} <RelativeTime value={record.finishedAt} />
        {attempts}
      </Text>
    );
  }
  if (record.startedAt && (status === 'processing' || status === 'needs-attention')) {
    return (
      <Text size="xs" c="dimmed">
        Started <RelativeTime value={record.startedAt} />
        {attempts}
      </Text>
    );
  }
  return null;
}

export function StepList(props: {
  spec: TaskSpec;
  taskStatus: string;
  statuses: Record<string, string>;
  records?: StepRecord[];
  waitingOn?: WaitingOn;
  selected?: string;
  onSelect(id: string | undefined): void;
}) {
  return (
    <Stack gap={2} role="list" aria-label="Steps">
      {props.spec.steps.map((s) => {
        const status = props.statuses[s.id] ?? 'open';
        const look = STATUS_ICON[status] ?? STATUS_ICON['open']!;
        const selected = props.selected === s.id;
        return (
          <div key={s.id} role="listitem" data-status={status}>
            <UnstyledButton
              onClick={() => props.onSelect(selected ? undefined : s.id)}
              aria-pressed={selected}
              title={selected ? 'Show the whole log' : `Show only the log of ${s.name}`}
              w="100%"
              p={4}
              style={{ borderRadius: 'var(--mantine-radius-sm)', background: selected ? 'var(--mantine-color-default-hover)' : undefined }}
            >
              <Group gap="xs" wrap="nowrap">
                <ThemeIcon size="sm" radius="xl" color={look.color} variant="light" aria-hidden>
                  {look.icon}
                </ThemeIcon>
                <Text size="sm" fw={selected ? 600 : undefined} style={{ flex: 1, minWidth: 0, overflowWrap: 'anywhere' }}>
                  {s.name}
                </Text>
                <Badge size="xs" variant="light" color={look.color} style={{ flexShrink: 0 }}>
                  {stepStatusLabel(status, props.taskStatus)}
                </Badge>
              </Group>
              <div style={{ paddingLeft: 30 }}>
                <StepDetail
                  status={status}
                  {...(props.records?.find((r) => r.id === s.id) ? { record: props.records.find((r) => r.id === s.id)! } : {})}
                  {...(props.waitingOn?.stepId === s.id ? { waitingOn: props.waitingOn } : {})}
                />
              </div>
            </UnstyledButton>
          </div>
        );
      })}
    </Stack>
  );
}

export function LogView(props: { events: SerializedTaskEvent[]; stepId?: string }) {
  const lines = props.events.filter((e) => !props.stepId || e.body.stepId === props.stepId);
  return (
    <ScrollArea.Autosize mah={420} type="auto" offsetScrollbars>
      <Code block aria-label="Task log" data-testid="task-log" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', minHeight: 120 }}>
        {lines.length === 0
          ? 'Waiting for output…'
          : lines.map((e) => `${new Date(e.createdAt).toLocaleTimeString()} ${e.body.stepId ? `[${e.body.stepId}] ` : ''}${e.body.message}`).join('\n')}
      </Code>
    </ScrollArea.Autosize>
  );
}
