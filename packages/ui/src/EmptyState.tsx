import { EmptyState as MantineEmptyState } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import type { ReactNode } from 'react';

export interface EmptyStateProps {
  title: string;
  /** Tell the user what to do next to fill this space. */
  description: ReactNode;
  /** A button or link that does that next step. */
  action?: ReactNode;
  icon?: ReactNode;
  compact?: boolean;
}

export function EmptyState(props: EmptyStateProps) {
  return (
    <MantineEmptyState
      py={props.compact ? 'sm' : 'xl'}
      size={props.compact ? 'sm' : 'md'}
      icon={props.icon ?? <IconInbox aria-hidden />}
      withIndicatorBackground
      title={props.title}
      description={props.description}
    >
      {props.action !== undefined && <MantineEmptyState.Actions>{props.action}</MantineEmptyState.Actions>}
    </MantineEmptyState>
  );
}
