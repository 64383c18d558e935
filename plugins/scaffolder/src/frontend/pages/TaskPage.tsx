import { EntityRefLink, ErrorState, PageLayout, QueryBoundary, RelativeTime, SectionCard, StatusBadge } from '@atrium/ui';
import { Alert, Anchor, Button, Grid, Group, Stack, Text, Textarea } from '@mantine/core';
import { IconPlayerStop, IconRepeat } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { SerializedTask } from '../../common/index';
import { cancelTask, decideApproval, retryTask, useTask } from '../api';
import { LogView, StepList, stepStatuses, useTaskEvents } from '../components/TaskLog';
import { templatePath } from '../refs';

/** /create/tasks/:taskId: steps, the live log, outputs; cancel, start over, approve. */
export default function TaskPage() {
  const { taskId = '' } = useParams();
  const query = useTask(taskId);
  return (
    <PageLayout title="Run of a template" subtitle={query.data ? `Task ${taskId}` : undefined}>
      <QueryBoundary query={query} loadingLabel="Loading the task…" errorTitle="Could not load the task">
        {(task) => <TaskView task={task} />}
      </QueryBoundary>
    </PageLayout>
  );
}

function TaskView({ task }: { task: SerializedTask }) {
  const { events, done } = useTaskEvents(task.id);
  const [selected, setSelected] = useState<string | undefined>();
  const navigate = useNavigate();
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: ['scaffolder', 'task', task.id] });
  const cancel = useMutation({ mutationFn: () => cancelTask(task.id), onSuccess: refresh });
  const retry = useMutation({ mutationFn: () => retryTask(task.id), onSuccess: (r) => void navigate(`/create/tasks/${r.id}`) });
  const finished = ['completed', 'failed', 'cancelled'].includes(task.status);
  if (done && !finished) refresh();
  const output = (task.output ?? {}) as { links?: Array<{ title?: string; url?: string; entityRef?: string }>; text?: Array<{ title?: string; content?: string }> };
  const templateRef = task.templateRef ?? task.spec.templateInfo.entityRef;

  return (
    <Stack>
      <Group justify="space-between">
        <Group gap="sm">
          <StatusBadge status={task.status === 'completed' ? 'ok' : task.status === 'failed' ? 'error' : task.status} label={task.status} />
          <Text size="sm" c="dimmed">
            {task.spec.templateInfo.entity?.metadata?.['title'] as string ?? templateRef} · started <RelativeTime value={task.createdAt} />
            {task.createdBy ? ` by ${task.createdBy}` : ''}
          </Text>
        </Group>
        <Group gap="xs">
          {!finished && (
            <Button variant="default" color="red" leftSection={<IconPlayerStop size={16} aria-hidden />} loading={cancel.isPending} onClick={() => cancel.mutate()}>
              Cancel
            </Button>
          )}
          {finished && (
            <>
              <Button variant="default" component={Link} to={`${templatePath(templateRef)}?formData=${encodeURIComponent(JSON.stringify(task.spec.parameters))}`}>
                Edit values and run again
              </Button>
              <Button leftSection={<IconRepeat size={16} aria-hidden />} loading={retry.isPending} onClick={() => retry.mutate()}>
                Start over
              </Button>
            </>
          )}
        </Group>
      </Group>
      {(cancel.error || retry.error) && <ErrorState error={cancel.error ?? retry.error} />}
      {task.status === 'awaiting-approval' && task.approval && <ApprovalPanel task={task} onDone={refresh} />}
      {task.approval?.decision && (
        <Alert color={task.approval.decision === 'approved' ? 'green' : 'red'} title={`${task.approval.decision === 'approved' ? 'Approved' : 'Rejected'} by ${task.approval.decidedBy}`}>
          {task.approval.comment ?? ''}
        </Alert>
      )}
      {task.status === 'failed' && task.error && (
        <Alert color="red" title="The run failed" role="alert">
          {task.error}
        </Alert>
      )}
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <SectionCard title="Steps">
            <StepList spec={task.spec} statuses={stepStatuses(events)} selected={selected} onSelect={setSelected} />
          </SectionCard>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <SectionCard title={selected ? `Log of ${selected}` : 'Log'}>
            <LogView events={events} {...(selected ? { stepId: selected } : {})} />
          </SectionCard>
        </Grid.Col>
      </Grid>
      {(output.links?.length || output.text?.length) && (
        <SectionCard title="Output">
          <Stack>
            {output.links?.length ? (
              <Group>
                {output.links.map((l, i) =>
                  l.entityRef ? (
                    <EntityRefLink key={i} entityRef={l.entityRef} title={l.title ?? l.entityRef} />
                  ) : l.url ? (
                    <Anchor key={i} href={l.url} target="_blank" rel="noreferrer">
                      {l.title ?? l.url}
                    </Anchor>
                  ) : null,
                )}
              </Group>
            ) : null}
            {output.text?.map((t, i) => (
              <div key={i}>
                <Text fw={600}>{t.title}</Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {t.content}
                </Text>
              </div>
            ))}
          </Stack>
        </SectionCard>
      )}
    </Stack>
  );
}

function ApprovalPanel({ task, onDone }: { task: SerializedTask; onDone(): void }) {
  const [comment, setComment] = useState('');
  const decide = useMutation({ mutationFn: (d: 'approve' | 'reject') => decideApproval(task.id, d, comment), onSuccess: onDone });
  return (
    <Alert color="yellow" title="Waiting for approval">
      <Stack gap="xs">
        <Text size="sm">A member of {task.approval!.approvers.join(', ')} must approve this run.</Text>
        <Textarea aria-label="Comment" placeholder="Comment (optional)" value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
        {decide.error && <ErrorState error={decide.error} title="Could not record the decision" />}
        <Group>
          <Button color="green" loading={decide.isPending} onClick={() => decide.mutate('approve')}>
            Approve
          </Button>
          <Button color="red" variant="light" loading={decide.isPending} onClick={() => decide.mutate('reject')}>
            Reject
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
