import type { StatusTone } from '@atrium/ui';
import type { StepStatus, TaskStatus } from '../../common/index';

/** How a task status reads and looks to a user; the API's enum never reaches the screen. */
const TASK: Record<TaskStatus, { label: string; tone: StatusTone }> = {
  open: { label: 'Queued', tone: 'info' },
  'awaiting-approval': { label: 'Awaiting approval', tone: 'warning' },
  processing: { label: 'Running', tone: 'info' },
  waiting: { label: 'Waiting', tone: 'warning' },
  'needs-attention': { label: 'Needs attention', tone: 'danger' },
  completed: { label: 'Completed', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
};

export const TASK_STATUSES = Object.keys(TASK) as TaskStatus[];

export function taskStatusLabel(status: string): string {
  return TASK[status as TaskStatus]?.label ?? humanize(status);
}

export function taskStatusTone(status: string): StatusTone {
  return TASK[status as TaskStatus]?.tone ?? 'neutral';
}

const STEP: Record<StepStatus, string> = {
  open: 'Not started',
  processing: 'Running',
  waiting: 'Waiting',
  'needs-attention': 'Needs attention',
  completed: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
  undone: 'Undone',
};

/**
 * A step's status in words. A step still `open` in a task that has ended never ran ("Not run");
 * in a task waiting for approval it is waiting too.
 */
export function stepStatusLabel(status: string, taskStatus?: string): string {
  if (status === 'open' && (taskStatus === 'failed' || taskStatus === 'cancelled' || taskStatus === 'completed')) return 'Not run';
  if (status === 'open' && taskStatus === 'awaiting-approval') return 'Waiting';
  return STEP[status as StepStatus] ?? humanize(status);
}

/** `some-status_word` → `Some status word`, for values this UI does not know yet. */
function humanize(value: string): string {
  const words = value.replace(/[-_]+/g, ' ').trim().toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Unknown';
}
