import { isSignedIn, useCurrentUser } from '@atrium/frontend-plugin-api';
import { EmptyState, ErrorState, humanizeEntityRef, LoadingState, QueryBoundary, RelativeTime, SectionCard, errorMessage, useNow } from '@atrium/ui';
import { Badge, Button, Group, Modal, Paper, Stack, Text } from '@mantine/core';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { authQueryKeys, listTokens, revokeToken, type TokenInfo } from '../auth/authApi';
import { CreateTokenDialog } from './CreateTokenDialog';
import { SignInRequired } from './SignInRequired';
import { sortTokens, tokenState, type TokenState } from './tokenStatus';

const STATE_BADGE: Record<TokenState, { label: string; color: string }> = {
  active: { label: 'Active', color: 'teal' },
  expired: { label: 'Expired', color: 'gray' },
  revoked: { label: 'Revoked', color: 'red' },
};

/** My API tokens and my groups' service tokens: list, create (secret shown once), revoke. */
export function TokensSettings() {
  const me = useCurrentUser();
  if (me.error) return <ErrorState error={me.error} title="Could not tell who you are" onRetry={() => void me.refetch()} />;
  if (!me.data) return <LoadingState label="Loading…" />;
  if (!isSignedIn(me.data)) return <SignInRequired what="API tokens" />;
  return <TokenList groupRefs={me.data.ownershipEntityRefs.filter((r) => r.startsWith('group:'))} />;
}

function TokenList(props: { groupRefs: string[] }) {
  const tokens = useQuery({ queryKey: authQueryKeys.tokens, queryFn: ({ signal }) => listTokens({ signal }) });
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<TokenInfo>();
  const now = useNow(60_000);
  const newButton = (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
      New token
    </Button>
  );
  return (
    <SectionCard
      title="API tokens"
      description="For CI and scripts: send one as Authorization: Bearer. Each acts as you (or your team) within its scopes."
      actions={newButton}
    >
      <QueryBoundary
        query={tokens}
        loadingLabel="Loading tokens…"
        errorTitle="Could not load your API tokens"
        isEmpty={(items) => items.length === 0}
        empty={
          <EmptyState
            icon={<IconKey aria-hidden />}
            title="No API tokens yet"
            description="Create one for a CI job or a script; you will see its secret once."
            compact
          />
        }
      >
        {(items) => (
          <Stack gap="xs" component="ul" aria-label="API tokens" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {sortTokens(items, now).map((token) => (
              <TokenRow key={token.id} token={token} state={tokenState(token, now)} onRevoke={() => setRevoking(token)} />
            ))}
          </Stack>
        )}
      </QueryBoundary>
      <CreateTokenDialog opened={creating} onClose={() => setCreating(false)} groupRefs={props.groupRefs} />
      <RevokeTokenDialog token={revoking} onClose={() => setRevoking(undefined)} />
    </SectionCard>
  );
}

function TokenRow(props: { token: TokenInfo; state: TokenState; onRevoke: () => void }) {
  const { token, state } = props;
  const badge = STATE_BADGE[state];
  return (
    <Paper component="li" withBorder radius="sm" p="sm" aria-label={`Token ${token.name}`}>
      <Group justify="space-between" wrap="wrap" gap="sm" align="flex-start">
        <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Group gap="xs">
            <Text fw={600}>{token.name}</Text>
            <Badge size="sm" variant="light" color={badge.color}>
              {badge.label}
            </Badge>
            <Badge size="sm" variant="outline" color="gray">
              {token.kind === 'service' ? `Service · ${humanizeEntityRef(token.ownerRef, { defaultKind: 'group' })}` : 'Personal'}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            Scopes: {token.scopes.join(', ')}
          </Text>
          <Text size="xs" c="dimmed">
            Created <RelativeTime value={token.createdAt} /> ·{' '}
            {state === 'revoked' && token.revokedAt ? (
              <>
                revoked <RelativeTime value={token.revokedAt} />
              </>
            ) : (
              <>
                {state === 'expired' ? 'expired' : 'expires'} <RelativeTime value={token.expiresAt} />
              </>
            )}{' '}
            ·{' '}
            {token.lastUsedAt ? (
              <>
                last used <RelativeTime value={token.lastUsedAt} />
              </>
            ) : (
              'never used'
            )}
          </Text>
        </Stack>
        {state === 'active' && (
          <Button size="xs" variant="light" color="red" onClick={props.onRevoke} aria-label={`Revoke token ${token.name}`}>
            Revoke
          </Button>
        )}
      </Group>
    </Paper>
  );
}

function RevokeTokenDialog(props: { token: TokenInfo | undefined; onClose: () => void }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: string) => revokeToken(id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: authQueryKeys.tokens });
      close();
    },
  });
  const close = () => {
    revoke.reset();
    props.onClose();
  };
  // Keep showing the token while the dialog fades out.
  const [shown, setShown] = useState(props.token);
  if (props.token && props.token !== shown) setShown(props.token);
  const token = props.token ?? shown;
  return (
    <Modal opened={Boolean(props.token)} onClose={close} title="Revoke this token?">
      {token && (
        <Stack gap="md">
          <Text size="sm">“{token.name}” stops working at once: whatever uses it gets 401 from its next request. This cannot be undone.</Text>
          {revoke.error && (
            <Text role="alert" size="sm" c="red">
              {errorMessage(revoke.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Keep it
            </Button>
            <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate(token.id)}>
              Revoke token
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
