import { isSignedIn, useCurrentUser } from '@atrium/frontend-plugin-api';
import { EmptyState, ErrorState, LoadingState, QueryBoundary, RelativeTime, SectionCard, errorMessage } from '@atrium/ui';
import { Badge, Button, Group, Modal, Paper, Stack, Text } from '@mantine/core';
import { IconDevices, IconLogout } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { authQueryKeys, listSessions, logout, revokeAllSessions, revokeSession, type SessionInfo } from '../auth/authApi';
import { SIGN_IN_PATH } from '../auth/returnTo';
import { SignInRequired } from './SignInRequired';
import { describeUserAgent } from './userAgent';

export interface SessionsSettingsProps {
  /** Where the browser goes after signing itself out; a full page load (tests pass a spy). */
  navigate?: (url: string) => void;
}

/** Where I am signed in: this device marked, sign out one device, or everywhere. */
export function SessionsSettings(props: SessionsSettingsProps) {
  const me = useCurrentUser();
  const navigate = props.navigate ?? ((url: string) => window.location.assign(url));
  if (me.error) return <ErrorState error={me.error} title="Could not tell who you are" onRetry={() => void me.refetch()} />;
  if (!me.data) return <LoadingState label="Loading…" />;
  if (!isSignedIn(me.data) || me.data.via === 'token') return <SignInRequired what="your sessions" />;
  return <SessionList navigate={navigate} />;
}

function SessionList(props: { navigate: (url: string) => void }) {
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: authQueryKeys.sessions, queryFn: ({ signal }) => listSessions({ signal }) });
  const [confirmAll, setConfirmAll] = useState(false);
  const end = useMutation({
    mutationFn: async (session: SessionInfo) => {
      // This device: sign out properly (clears the cookie), then go to sign-in.
      if (session.current) await logout();
      else await revokeSession(session.id);
      return session;
    },
    onSuccess: (session) => {
      if (session.current) props.navigate(SIGN_IN_PATH);
      else void queryClient.invalidateQueries({ queryKey: authQueryKeys.sessions });
    },
  });
  const endAll = useMutation({ mutationFn: revokeAllSessions, onSuccess: () => props.navigate(SIGN_IN_PATH) });

  const everywhere = (
    <Button
      variant="light"
      color="red"
      leftSection={<IconLogout size={16} aria-hidden />}
      onClick={() => setConfirmAll(true)}
      disabled={!sessions.data?.length}
    >
      Sign out everywhere
    </Button>
  );
  return (
    <SectionCard title="Sessions" description="Browsers signed in as you. Signing one out ends it at once, on every server." actions={everywhere}>
      {end.error && (
        <Text role="alert" size="sm" c="red">
          Could not sign that session out: {errorMessage(end.error)}
        </Text>
      )}
      <QueryBoundary
        query={sessions}
        loadingLabel="Loading sessions…"
        errorTitle="Could not load your sessions"
        isEmpty={(items) => items.length === 0}
        empty={<EmptyState icon={<IconDevices aria-hidden />} title="No sessions" description="You are not signed in in any browser." compact />}
      >
        {(items) => (
          <Stack gap="xs" component="ul" aria-label="Sessions" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {[...items]
              .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt))
              .map((session) => (
                <Paper
                  key={session.id}
                  component="li"
                  withBorder
                  radius="sm"
                  p="sm"
                  aria-label={`${describeUserAgent(session.userAgent)}${session.current ? ' (this device)' : ''}`}
                >
                  <Group justify="space-between" wrap="wrap" gap="sm">
                    <Stack gap={2}>
                      <Group gap="xs">
                        <Text fw={600}>{describeUserAgent(session.userAgent)}</Text>
                        {session.current && (
                          <Badge size="sm" variant="light" color="indigo">
                            This device
                          </Badge>
                        )}
                      </Group>
                      <Text size="xs" c="dimmed">
                        {session.ip ? `${session.ip} · ` : ''}signed in <RelativeTime value={session.createdAt} /> · last active{' '}
                        <RelativeTime value={session.lastSeenAt} /> · ends <RelativeTime value={session.expiresAt} />
                      </Text>
                    </Stack>
                    <Button
                      size="xs"
                      variant="default"
                      loading={end.isPending && end.variables?.id === session.id}
                      onClick={() => end.mutate(session)}
                      aria-label={session.current ? 'Sign out this device' : `Sign out ${describeUserAgent(session.userAgent)}`}
                    >
                      Sign out
                    </Button>
                  </Group>
                </Paper>
              ))}
          </Stack>
        )}
      </QueryBoundary>
      <Modal opened={confirmAll} onClose={() => setConfirmAll(false)} title="Sign out everywhere?">
        <Stack gap="md">
          <Text size="sm">Every browser signed in as you is signed out, this one too. API tokens keep working.</Text>
          {endAll.error && (
            <Text role="alert" size="sm" c="red">
              {errorMessage(endAll.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmAll(false)}>
              Cancel
            </Button>
            <Button color="red" loading={endAll.isPending} onClick={() => endAll.mutate()}>
              Sign out everywhere
            </Button>
          </Group>
        </Stack>
      </Modal>
    </SectionCard>
  );
}
