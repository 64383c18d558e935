import { EmptyState } from '@atrium/ui';
import { Button } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useLocation } from 'react-router';
import { authQueryKeys, getSignInOptions } from '../auth/authApi';
import { signInPathFor } from '../auth/returnTo';

/**
 * Shown to the guest where only a signed-in person has something to see: a "Sign in" button
 * when a sign-in provider is configured, otherwise a word on how an administrator adds one.
 */
export function SignInRequired(props: { what: string }) {
  const location = useLocation();
  const options = useQuery({ queryKey: authQueryKeys.providers, queryFn: ({ signal }) => getSignInOptions({ signal }), retry: false });
  const canSignIn = (options.data?.providers.length ?? 0) > 0;
  return (
    <EmptyState
      icon={<IconLock aria-hidden />}
      title={`Sign in to see ${props.what}`}
      description={
        canSignIn || options.isPending
          ? `You are browsing as a guest; the guest has no ${props.what}.`
          : `You are browsing as a guest, and this Atrium has no sign-in provider yet: an administrator adds one under auth.providers (docs/authentication.md).`
      }
      action={
        canSignIn ? (
          <Button component="a" href={signInPathFor(`${location.pathname}${location.search}`)}>
            Sign in
          </Button>
        ) : undefined
      }
    />
  );
}
