import { errorMessage, humanizeEntityRef } from '@atrium/ui';
import { Alert, Button, Code, CopyButton, Group, Modal, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { authQueryKeys, createToken, type CreatedToken } from '../auth/authApi';
import { validateNewToken } from './tokenStatus';

const EXPIRY_OPTIONS = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '180', label: '180 days' },
  { value: '366', label: '1 year (the longest)' },
];
const PERSONAL = 'personal';

export interface CreateTokenDialogProps {
  opened: boolean;
  onClose: () => void;
  /** Groups the caller belongs to: each may own a service token. */
  groupRefs: readonly string[];
}

/**
 * Creates an API token. After creating, the dialog shows the secret once, with a copy
 * button; closing it forgets the secret (the server keeps only its hash).
 */
export function CreateTokenDialog(props: CreateTokenDialogProps) {
  const [created, setCreated] = useState<CreatedToken>();
  // The secret is forgotten once the dialog has faded out (not before, so the form does not flash back).
  const forget = () => setCreated(undefined);
  // …and at the latest when the dialog opens again.
  const [wasOpened, setWasOpened] = useState(props.opened);
  if (props.opened !== wasOpened) {
    setWasOpened(props.opened);
    if (props.opened) forget();
  }
  const close = () => {
    props.onClose();
    if (!created) forget();
  };
  return (
    <Modal opened={props.opened} onClose={close} onExitTransitionEnd={forget} title={created ? 'Token created' : 'New API token'} size="lg">
      {created ? <ShowSecretOnce created={created} onDone={close} /> : <NewTokenForm groupRefs={props.groupRefs} onCreated={setCreated} onCancel={close} />}
    </Modal>
  );
}

function NewTokenForm(props: { groupRefs: readonly string[]; onCreated: (created: CreatedToken) => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read']);
  const [expiry, setExpiry] = useState('30');
  const [owner, setOwner] = useState(PERSONAL);
  const [submitted, setSubmitted] = useState(false);
  const errors = validateNewToken({ name, scopes });
  const create = useMutation({
    mutationFn: () => createToken({ name: name.trim(), scopes, expiresInDays: Number(expiry), ...(owner !== PERSONAL ? { ownerRef: owner } : {}) }),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: authQueryKeys.tokens });
      props.onCreated(result);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(errors).length === 0) create.mutate();
  };
  const ownerOptions = [
    { value: PERSONAL, label: 'Me (a personal token)' },
    ...props.groupRefs.map((ref) => ({ value: ref, label: `${humanizeEntityRef(ref, { defaultKind: 'group' })} (a service token)` })),
  ];

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TextInput
          label="Name"
          description="What uses it, so you recognise it later."
          placeholder="e.g. ci-deploy"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={submitted ? errors.name : undefined}
          required
          data-autofocus
          maxLength={100}
        />
        <TagsInput
          label="Scopes"
          description='"read" allows every read; add permission names (e.g. catalog.entity.delete) for more. Press Enter after each.'
          value={scopes}
          onChange={setScopes}
          data={['read', 'catalog.location.create', 'catalog.entity.refresh', 'catalog.entity.delete', 'scaffolder.task.create']}
          error={submitted ? errors.scopes : undefined}
          required
          clearable
        />
        <Group grow align="flex-start">
          <Select label="Expires after" data={EXPIRY_OPTIONS} value={expiry} onChange={(v) => v && setExpiry(v)} allowDeselect={false} />
          <Select label="Acts as" data={ownerOptions} value={owner} onChange={(v) => v && setOwner(v)} allowDeselect={false} />
        </Group>
        {create.error && (
          <Alert role="alert" color="red" variant="light" title="The token was not created" icon={<IconAlertTriangle aria-hidden />}>
            {errorMessage(create.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create token
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ShowSecretOnce(props: { created: CreatedToken; onDone: () => void }) {
  const { created } = props;
  return (
    <Stack gap="md">
      <Alert color="yellow" variant="light" title="Copy the token now" icon={<IconAlertTriangle aria-hidden />}>
        This is the only time it is shown. Atrium stores only a hash of it; if you lose it, revoke it and create another.
      </Alert>
      <Stack gap={4}>
        <Text size="sm" fw={500} id="new-token-secret-label">
          Token “{created.token.name}”
        </Text>
        <Group gap="xs" wrap="nowrap" align="stretch">
          <Code
            block
            style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
            aria-labelledby="new-token-secret-label"
            data-testid="new-token-secret"
          >
            {created.secret}
          </Code>
          <CopyButton value={created.secret}>
            {({ copied, copy }) => (
              <Button
                variant={copied ? 'light' : 'default'}
                color={copied ? 'teal' : undefined}
                onClick={copy}
                leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                aria-label={copied ? 'Copied' : 'Copy token'}
              >
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="xs" c="dimmed">
          Send it as <Code>Authorization: Bearer …</Code>.
        </Text>
      </Stack>
      <Group justify="flex-end">
        <Button onClick={props.onDone}>Done</Button>
      </Group>
    </Stack>
  );
}
