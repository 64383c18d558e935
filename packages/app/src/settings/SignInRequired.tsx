import { EmptyState } from '@atrium/ui';
import { Button } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useLocation } from 'react-router';
import { signInPathFor } from '../auth/returnTo';

/** Shown to the guest (or a token caller) where only a signed-in person has something to see. */
export function SignInRequired(props: { what: string }) {
  const location = useLocation();
  return (
    <EmptyState
      icon={<IconLock aria-hidden />}
      title={`Sign in to see ${props.what}`}
      description={`You are browsing as a guest; the guest has no ${props.what}.`}
      action={
        <Button component="a" href={signInPathFor(`${location.pathname}${location.search}`)}>
          Sign in
        </Button>
      }
    />
  );
}
