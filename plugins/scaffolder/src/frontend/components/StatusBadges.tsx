import { StatusBadge } from '@atrium/ui';
import { taskStatusLabel, taskStatusTone } from '../display/statusLabels';

/** A task's status in words ("Awaiting approval"), coloured by what it means for the user. */
export function TaskStatusBadge(props: { status: string; size?: 'xs' | 'sm' | 'md' }) {
  return <StatusBadge status={props.status} label={taskStatusLabel(props.status)} tone={taskStatusTone(props.status)} size={props.size ?? 'sm'} />;
}
