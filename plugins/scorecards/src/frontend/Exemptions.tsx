import { DataTable, EntityRefLink, errorMessage, QueryBoundary } from '@atrium/ui';
import { Alert, Button, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import type { Exemption, ScorecardDefinition } from '../common';
import { useExemptionActions, useExemptions, type ExemptionQuery } from './api';

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * "Request exemption" for one entity and rule: a reason and an end date. The request counts for
 * nothing until someone allowed to grants it (on the rule's page or the initiative's page).
 */
export function RequestExemptionButton(props: { entityRef: string; scorecard: ScorecardDefinition; ruleId: string }) {
  const [opened, modal] = useDisclosure(false);
  const { request } = useExemptionActions();
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState(() => day(new Date(Date.now() + 30 * 86_400_000)));
  const [earliest] = useState(() => day(new Date(Date.now() + 86_400_000)));
  const rule = props.scorecard.rules.find((r) => r.id === props.ruleId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate(
      {
        entityRef: props.entityRef,
        scorecardId: props.scorecard.id,
        ruleId: props.ruleId,
        reason: reason.trim(),
        expiresAt: new Date(`${until}T23:59:59Z`).toISOString(),
      },
      { onSuccess: () => modal.close() },
    );
  };
  return (
    <>
      <Button size="compact-xs" variant="subtle" onClick={() => (request.reset(), modal.open())}>
        Request exemption
      </Button>
      <Modal opened={opened} onClose={modal.close} title={`Request an exemption from “${rule?.title ?? props.ruleId}”`}>
        <form onSubmit={submit}>
          <Stack gap="sm">
            <Text size="sm">
              For <EntityRefLink entityRef={props.entityRef} />. Until it is granted the rule keeps counting.
            </Text>
            <Textarea
              label="Reason"
              description="Why this rule should not count for this entity, for now."
              required
              minLength={3}
              maxLength={2000}
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
            <TextInput label="Until" type="date" required min={earliest} value={until} onChange={(e) => setUntil(e.currentTarget.value)} />
            {request.error ? (
              <Alert color="red" title="Could not request the exemption">
                {errorMessage(request.error)}
              </Alert>
            ) : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={modal.close}>
                Cancel
              </Button>
              <Button type="submit" loading={request.isPending} disabled={reason.trim().length < 3 || !until}>
                Request
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

/**
 * Exemption requests waiting for a decision, with Grant and Turn down, and granted exemptions
 * with Revoke; narrowed to one scorecard, rule or entity.
 */
export function ExemptionsList(props: {
  query: ExemptionQuery & { status: Exemption['status'] };
  ruleId?: string;
  scorecard?: ScorecardDefinition;
  label: string;
  empty: string;
}) {
  const query = useExemptions(props.query);
  const actions = useExemptionActions();
  const pick = (items: Exemption[]) => (props.ruleId ? items.filter((x) => x.ruleId === props.ruleId) : items);
  const ruleTitle = (x: Exemption) => props.scorecard?.rules.find((r) => r.id === x.ruleId)?.title ?? x.ruleId;
  const failed = actions.grant.error ?? actions.remove.error;
  return (
    <QueryBoundary
      query={query}
      compact
      isEmpty={(d) => pick(d.items).length === 0}
      empty={
        <Text size="sm" c="dimmed">
          {props.empty}
        </Text>
      }
    >
      {(d) => (
        <Stack gap="xs">
          {failed ? (
            <Alert color="red" title="That did not work">
              {errorMessage(failed)}
            </Alert>
          ) : null}
          <DataTable
            label={props.label}
            rows={pick(d.items)}
            rowKey={(x) => x.id}
            columns={[
              { id: 'entity', primary: true, header: 'Entity', cell: (x) => <EntityRefLink entityRef={x.entityRef} size="sm" /> },
              ...(props.ruleId ? [] : [{ id: 'rule', header: 'Rule', cell: (x: Exemption) => <Text size="sm">{ruleTitle(x)}</Text> }]),
              { id: 'reason', header: 'Reason', cell: (x) => <Text size="sm">{x.reason}</Text> },
              {
                id: 'col4',
                header: props.query.status === 'requested' ? 'Asked by' : 'Granted by',
                cell: (x) => {
                  const who = props.query.status === 'requested' ? x.requestedBy : x.approvedBy;
                  return who ? <EntityRefLink entityRef={who} defaultKind="user" size="sm" /> : <Text size="sm">–</Text>;
                },
              },
              { id: 'until', header: 'Until', cell: (x) => <Text size="sm">{x.expiresAt.slice(0, 10)}</Text> },
              {
                id: 'decision',
                header: 'Decision',
                cell: (x) =>
                  props.query.status === 'requested' ? (
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button
                        size="compact-xs"
                        loading={actions.grant.isPending && actions.grant.variables === x.id}
                        onClick={() => actions.grant.mutate(x.id)}
                      >
                        Grant
                      </Button>
                      <Button
                        size="compact-xs"
                        variant="default"
                        loading={actions.remove.isPending && actions.remove.variables === x.id}
                        onClick={() => actions.remove.mutate(x.id)}
                      >
                        Turn down
                      </Button>
                    </Group>
                  ) : (
                    <Button
                      size="compact-xs"
                      variant="default"
                      loading={actions.remove.isPending && actions.remove.variables === x.id}
                      onClick={() => actions.remove.mutate(x.id)}
                    >
                      Revoke
                    </Button>
                  ),
              },
            ]}
          />
        </Stack>
      )}
    </QueryBoundary>
  );
}
