import { permissionDeniedText, useCurrentUser, usePermissions } from '@atrium/frontend-plugin-api';
import { EntityRefLink, EntityRefLinks, ErrorState, LoadingState, PageLayout, RelativeTime, SectionCard } from '@atrium/ui';
import { Alert, Anchor, Button, Code, Grid, Group, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import { IconArrowBackUp, IconPlayerSkipForward, IconPlayerStop, IconRepeat } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { FINAL_TASK_STATUSES, type SerializedTask } from '../../common/index';
import { cancelTask, decideApproval, decideStep, retryStep, retryTask, skipStep, useTask } from '../api';
import { isApprover } from '../approvers';
import { isNotFound, NotFoundPage } from '../components/NotFound';
import { TaskStatusBadge } from '../components/StatusBadges';
import { LogView, mergedStepStatuses, StepList, useTaskEvents } from '../components/TaskLog';
import { hasOutput, TaskOutput } from '../components/TaskOutput';
import { taskTemplateTitle } from '../display/taskTitle';
import { templatePath } from '../refs';

/** /create/tasks/:taskId: steps, the live log, outputs; cancel, start over, approve. */
export default function TaskPage() {
  const { taskId = '' } = useParams();
  const query = useTask(taskId);
  if (query.data === undefined) {
    if (isNotFound(query.error)) {
      return (
        <NotFoundPage
          title="Run not found"
          message="There is no template run with this id"
          description={`No run has the id “${taskId}”. Check the link, or find the run in the list of runs.`}
          action={
            <Group justify="center">
              <Button component={Link} to="/create/tasks">
                All runs
              </Button>
              <Button component={Link} to="/create" variant="default">
                Templates
              </Button>
            </Group>
          }
        />
      );
    }
    return (
      <PageLayout title="Template run">
        {query.error ? (
          <ErrorState error={query.error} title="Could not load this run" onRetry={() => void query.refetch()} />
        ) : (
          <LoadingState label="Loading the run…" />
        )}
      </PageLayout>
    );
  }
  return <TaskView task={query.data} />;
}

function TaskView({ task }: { task: SerializedTask }) {
  const { events, done } = useTaskEvents(task.id);
  const [selected, setSelected] = useState<string | undefined>();
  const navigate = useNavigate();
  const client = useQueryClient();
  const refresh = useCallback(() => void client.invalidateQueries({ queryKey: ['scaffolder', 'task', task.id] }), [client, task.id]);
  const cancel = useMutation({ mutationFn: (compensate: boolean) => cancelTask(task.id, compensate), onSuccess: refresh });
  const hasDoneSteps = (task.steps ?? []).some((s) => s.status === 'completed');
  const [canCancel, canRetry] = usePermissions([
    'scaffolder.task.cancel',
    (task.templateRef ?? task.spec.templateInfo.entityRef)
      ? { permission: 'scaffolder.task.create', resourceRef: task.templateRef ?? task.spec.templateInfo.entityRef }
      : 'scaffolder.task.create',
  ]);
  const cancelDenied = canCancel && permissionDeniedText(canCancel, 'cancel this run');
  const retryDenied = canRetry && permissionDeniedText(canRetry, 'run this template');
  const retry = useMutation({ mutationFn: () => retryTask(task.id), onSuccess: (r) => void navigate(`/create/tasks/${r.id}`) });
  const finished = FINAL_TASK_STATUSES.includes(task.status);
  useEffect(() => {
    if (done && !finished) refresh();
  }, [done, finished, refresh]);
  const title = taskTemplateTitle(task);
  const formPath = templatePath(task.templateRef ?? task.spec.templateInfo.entityRef);

  return (
    <PageLayout
      title={title}
      documentTitle={`Run of ${title}`}
      actions={
        <>
          {!finished && (
            <Tooltip label={cancelDenied} disabled={!cancelDenied} multiline w={260}>
              <Button
                variant="default"
                color="red"
                leftSection={<IconPlayerStop size={16} aria-hidden />}
                loading={cancel.isPending}
                disabled={!canCancel?.allowed}
                aria-description={cancelDenied || undefined}
                style={cancelDenied ? { pointerEvents: 'auto' } : undefined}
                onClick={() => cancel.mutate(false)}
              >
                Cancel
              </Button>
            </Tooltip>
          )}
          {hasDoneSteps && (!finished || task.status === 'failed') && (
            <Tooltip label={cancelDenied || 'Cancel, and undo the completed steps that can be undone, last first'} multiline w={260}>
              <Button
                variant="default"
                color="red"
                leftSection={<IconArrowBackUp size={16} aria-hidden />}
                loading={cancel.isPending}
                disabled={!canCancel?.allowed}
                aria-description={cancelDenied || undefined}
                style={cancelDenied ? { pointerEvents: 'auto' } : undefined}
                onClick={() => cancel.mutate(true)}
              >
                Cancel and undo
              </Button>
            </Tooltip>
          )}
          {finished && formPath && (
            <Button variant="default" component={Link} to={`${formPath}?formData=${encodeURIComponent(JSON.stringify(task.spec.parameters))}`}>
              Edit values and run again
            </Button>
          )}
          {finished && (
            <Tooltip label={retryDenied} disabled={!retryDenied} multiline w={260}>
              <Button
                leftSection={<IconRepeat size={16} aria-hidden />}
                loading={retry.isPending}
                disabled={!canRetry?.allowed}
                aria-description={retryDenied || undefined}
                style={retryDenied ? { pointerEvents: 'auto' } : undefined}
                onClick={() => retry.mutate()}
              >
                Start over
              </Button>
            </Tooltip>
          )}
        </>
      }
    >
      <Stack>
        <Group gap="xs" wrap="wrap" align="center" data-testid="task-summary">
          <TaskStatusBadge status={task.status} />
          <Text size="sm" c="dimmed">
            Run{' '}
            <Text span ff="monospace" size="sm">
              {task.id.slice(0, 8)}
            </Text>
            , started <RelativeTime value={task.createdAt} />
            {task.createdBy ? (
              <>
                {' by '}
                <EntityRefLink entityRef={task.createdBy} defaultKind="user" size="sm" />
              </>
            ) : null}
          </Text>
        </Group>
        {(cancel.error || retry.error) && (
          <ErrorState error={cancel.error ?? retry.error} title={cancel.error ? 'Could not cancel the run' : 'Could not start the run again'} />
        )}
        {task.status === 'awaiting-approval' && task.approval && <ApprovalPanel task={task} onDone={refresh} />}
        {task.approval?.decision && (
          <Alert color={task.approval.decision === 'approved' ? 'green' : 'red'} title={task.approval.decision === 'approved' ? 'Approved' : 'Rejected'}>
            <Text size="sm">
              By {task.approval.decidedBy ? <EntityRefLink entityRef={task.approval.decidedBy} defaultKind="user" /> : 'an approver'}
              {task.approval.decidedAt ? (
                <>
                  {' '}
                  <RelativeTime value={task.approval.decidedAt} />
                </>
              ) : null}
              {task.approval.comment ? `: ${task.approval.comment}` : ''}
            </Text>
          </Alert>
        )}
        {task.status === 'waiting' && task.waitingOn && <WaitPanel task={task} onDone={refresh} />}
        {task.status === 'needs-attention' && task.attention && (
          <StepDecisionPanel task={task} stepId={task.attention.stepId} color="orange" title="This run needs attention" onDone={refresh}>
            <Text size="sm">{task.attention.reason}</Text>
            {task.attention.lastLog && (
              <Text size="sm">
                Its last log line: <Code>{task.attention.lastLog}</Code>
              </Text>
            )}
          </StepDecisionPanel>
        )}
        {task.status === 'failed' && task.error && (
          <StepDecisionPanel task={task} stepId={failedStep(task)} color="red" title="The run failed" role="alert" onDone={refresh}>
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {task.error}
            </Text>
          </StepDecisionPanel>
        )}
        {hasOutput(task.output) && (
          <SectionCard title="Output">
            <TaskOutput output={task.output} />
          </SectionCard>
        )}
        <Grid>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <SectionCard title="Steps">
              <StepList
                spec={task.spec}
                taskStatus={task.status}
                statuses={mergedStepStatuses(events, task.steps)}
                {...(task.steps ? { records: task.steps } : {})}
                {...(task.waitingOn ? { waitingOn: task.waitingOn } : {})}
                selected={selected}
                onSelect={setSelected}
              />
            </SectionCard>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <SectionCard title={selected ? `Log of ${task.spec.steps.find((s) => s.id === selected)?.name ?? selected}` : 'Log'}>
              <LogView events={events} {...(selected ? { stepId: selected } : {})} />
            </SectionCard>
          </Grid.Col>
        </Grid>
      </Stack>
    </PageLayout>
  );
}

function ApprovalPanel({ task, onDone }: { task: SerializedTask; onDone(): void }) {
  const [comment, setComment] = useState('');
  const decide = useMutation({ mutationFn: (d: 'approve' | 'reject') => decideApproval(task.id, d, comment), onSuccess: onDone });
  const [canApprove] = usePermissions(['scaffolder.task.approve']);
  const me = useCurrentUser();
  // The policy must allow it, and (whatever the policy says) only the template's approvers decide.
  const ownRun = Boolean(me.data && task.createdBy === me.data.userEntityRef && !task.approval?.allowSelfApproval);
  const approver = me.data ? isApprover(me.data.ownershipEntityRefs, task.approval?.approvers ?? []) && !ownRun : false;
  const denied =
    canApprove && !canApprove.allowed
      ? permissionDeniedText(canApprove, 'approve runs')
      : ownRun
        ? 'You started this run: another approver must decide (the template does not allow self-approval)'
        : me.data && !approver
          ? 'Only the approvers named by the template may decide'
          : undefined;
  const decideButton = (decision: 'approve' | 'reject', label: string, props: { color: string; variant?: 'light' }) => (
    <Tooltip label={denied} disabled={!denied} multiline w={260}>
      <Button
        {...props}
        loading={decide.isPending}
        disabled={!canApprove?.allowed || !approver}
        aria-description={denied}
        style={denied ? { pointerEvents: 'auto' } : undefined}
        onClick={() => decide.mutate(decision)}
      >
        {label}
      </Button>
    </Tooltip>
  );
  return (
    <Alert color="yellow" title="Waiting for approval">
      <Stack gap="xs">
        <Text size="sm">
          A member of <EntityRefLinks entityRefs={task.approval!.approvers} defaultKind="group" /> must approve this run before it starts.
        </Text>
        <Textarea aria-label="Comment" placeholder="Comment (optional)" value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
        {decide.error && <ErrorState error={decide.error} title="Could not record the decision" />}
        <Group>
          {decideButton('approve', 'Approve', { color: 'green' })}
          {decideButton('reject', 'Reject', { color: 'red', variant: 'light' })}
        </Group>
      </Stack>
    </Alert>
  );
}

/** The step a failed run stopped at (the first not done), when it has one it can retry or skip. */
function failedStep(task: SerializedTask): string | undefined {
  const done = new Set((task.steps ?? []).filter((s) => s.status === 'completed' || s.status === 'skipped').map((s) => s.id));
  return task.spec.steps.find((s) => !done.has(s.id))?.id;
}

/** A failed run, or one that needs attention: what happened, then Retry step / Skip step (scaffolder.task.resume). */
function StepDecisionPanel(props: {
  task: SerializedTask;
  stepId: string | undefined;
  color: string;
  title: string;
  role?: string;
  onDone(): void;
  children: React.ReactNode;
}) {
  const { task, stepId } = props;
  const [canResume] = usePermissions(['scaffolder.task.resume']);
  const denied = canResume && permissionDeniedText(canResume, 'retry or skip steps');
  const act = useMutation({
    mutationFn: (how: 'retry' | 'skip') => (how === 'retry' ? retryStep(task.id, stepId!) : skipStep(task.id, stepId!)),
    onSuccess: props.onDone,
  });
  const stepName = task.spec.steps.find((s) => s.id === stepId)?.name ?? stepId;
  return (
    <Alert color={props.color} title={props.title} {...(props.role ? { role: props.role } : {})}>
      <Stack gap="xs">
        {props.children}
        {act.error && <ErrorState error={act.error} title="Could not change the run" />}
        {stepId && (
          <Group>
            <Tooltip label={denied} disabled={!denied} multiline w={260}>
              <Button
                size="xs"
                leftSection={<IconRepeat size={14} aria-hidden />}
                loading={act.isPending}
                disabled={!canResume?.allowed}
                aria-description={denied || undefined}
                style={denied ? { pointerEvents: 'auto' } : undefined}
                onClick={() => act.mutate('retry')}
              >
                Retry step “{stepName}”
              </Button>
            </Tooltip>
            <Tooltip label={denied} disabled={!denied} multiline w={260}>
              <Button
                size="xs"
                variant="default"
                leftSection={<IconPlayerSkipForward size={14} aria-hidden />}
                loading={act.isPending}
                disabled={!canResume?.allowed}
                aria-description={denied || undefined}
                style={denied ? { pointerEvents: 'auto' } : undefined}
                onClick={() => act.mutate('skip')}
              >
                Skip it and continue
              </Button>
            </Tooltip>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

/** A waiting run: what it waits for since when; approvers decide here, the creator sees the callback URL. */
function WaitPanel({ task, onDone }: { task: SerializedTask; onDone(): void }) {
  const w = task.waitingOn!;
  return (
    <Alert color="yellow" title={`Waiting on ${w.description}`} data-testid="wait-panel">
      <Stack gap="xs">
        <Text size="sm">
          Step “{task.spec.steps.find((s) => s.id === w.stepId)?.name ?? w.stepId}” has waited since <RelativeTime value={w.since} />
          {w.expiresAt ? (
            <>
              ; it expires <RelativeTime value={w.expiresAt} />
            </>
          ) : null}
          . No worker is held meanwhile.
        </Text>
        {w.kind === 'callback' &&
          (w.callbackUrl ? (
            <Text size="sm">
              POST the result (JSON) to this one-time URL: <Code style={{ overflowWrap: 'anywhere' }}>{w.callbackUrl}</Code>
            </Text>
          ) : (
            <Text size="sm">The one-time callback URL is shown to whoever started the run.</Text>
          ))}
        {w.kind === 'pull-request' && w.pullRequestUrl && (
          <Text size="sm">
            Pull request: {/^https?:/.test(w.pullRequestUrl) ? <Anchor href={w.pullRequestUrl}>{w.pullRequestUrl}</Anchor> : <Code>{w.pullRequestUrl}</Code>}
            {w.lastState ? ` (last seen ${w.lastState})` : ''}
            {w.wakeAt ? (
              <>
                ; next check <RelativeTime value={w.wakeAt} />
              </>
            ) : null}
          </Text>
        )}
        {w.kind === 'until' && w.wakeAt && (
          <Text size="sm">
            Continues <RelativeTime value={w.wakeAt} />.
          </Text>
        )}
        {w.kind === 'approval' && <StepApproval task={task} onDone={onDone} />}
      </Stack>
    </Alert>
  );
}

function StepApproval({ task, onDone }: { task: SerializedTask; onDone(): void }) {
  const w = task.waitingOn!;
  const [comment, setComment] = useState('');
  const decide = useMutation({ mutationFn: (d: 'approve' | 'reject') => decideStep(task.id, w.stepId, d, comment), onSuccess: onDone });
  const [canApprove] = usePermissions(['scaffolder.task.approve']);
  const me = useCurrentUser();
  const ownRun = Boolean(me.data && task.createdBy === me.data.userEntityRef && !w.allowSelfApproval);
  const already = Boolean(me.data && w.approvals?.some((a) => a.by === me.data!.userEntityRef));
  const approver = me.data ? isApprover(me.data.ownershipEntityRefs, w.approvers ?? []) : false;
  const denied =
    canApprove && !canApprove.allowed
      ? permissionDeniedText(canApprove, 'approve runs')
      : me.data && !approver
        ? 'Only the approvers named by this step may decide'
        : already
          ? 'You have approved already; another approver must too'
          : undefined;
  const approveDenied = denied ?? (ownRun ? 'You started this run: another approver must approve it (the step does not allow self-approval)' : undefined);
  const button = (decision: 'approve' | 'reject', label: string, why: string | undefined, props: { color: string; variant?: 'light' }) => (
    <Tooltip label={why} disabled={!why} multiline w={260}>
      <Button
        {...props}
        size="xs"
        loading={decide.isPending}
        disabled={Boolean(why) || !canApprove?.allowed || !me.data}
        aria-description={why}
        style={why ? { pointerEvents: 'auto' } : undefined}
        onClick={() => decide.mutate(decision)}
      >
        {label}
      </Button>
    </Tooltip>
  );
  return (
    <>
      <Text size="sm">
        Approvers: <EntityRefLinks entityRefs={w.approvers ?? []} defaultKind="group" /> — {w.approvals?.length ?? 0} of {w.required ?? 1} approved
        {w.approvals?.length ? ` (${w.approvals.map((a) => a.by.replace(/^user:default\//, '')).join(', ')})` : ''}.
      </Text>
      <Textarea aria-label="Comment" placeholder="Comment (optional)" value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
      {decide.error && <ErrorState error={decide.error} title="Could not record the decision" />}
      <Group>
        {button('approve', 'Approve', approveDenied, { color: 'green' })}
        {button('reject', 'Reject', denied, { color: 'red', variant: 'light' })}
      </Group>
    </>
  );
}
