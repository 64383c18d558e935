import { ErrorState, LoadingState, usePageTitle } from '@atrium/ui';
import { Alert, Box, Button, Center, Divider, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconLogin2, IconUser } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { Logo } from '../shell/Logo';
import { authQueryKeys, getSignInOptions, type SignInOptions } from './authApi';
import { providerStartUrl, safeReturnTo } from './returnTo';

/**
 * `/sign-in?returnTo=<path>`: a button per configured provider (each a plain link to the
 * provider's start URL, which comes back to `returnTo` signed in) and "Continue as guest" when
 * the guest is on. `?error=` (set when a sign-in failed) is shown above the buttons.
 */
export function SignInPage() {
  usePageTitle('Sign in');
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const error = params.get('error')?.trim();
  const options = useQuery({ queryKey: authQueryKeys.providers, queryFn: ({ signal }) => getSignInOptions({ signal }), retry: 1 });

  return (
    <Center mih="100vh" p="md" component="main" bg="var(--mantine-color-default-hover)">
      <Paper withBorder radius="md" p="xl" w="100%" maw={420} shadow="sm">
        <Stack gap="lg">
          <Group gap={10} wrap="nowrap">
            <Logo size={32} />
            <Text fw={700} size="xl">
              Atrium
            </Text>
          </Group>
          <Box>
            <Title order={1} size="h3">
              Sign in
            </Title>
            <Text c="dimmed" size="sm" mt={4}>
              {returnTo === '/' ? 'Choose how to sign in.' : `Sign in to continue to ${returnTo}.`}
            </Text>
          </Box>
          {error && (
            <Alert role="alert" color="red" variant="light" title="Sign-in did not work" icon={<IconAlertTriangle aria-hidden />}>
              <Text size="sm">{error}</Text>
              <Text size="sm" mt={4}>
                Try again, or ask your administrator if it keeps happening.
              </Text>
            </Alert>
          )}
          {options.data ? (
            <SignInChoices options={options.data} returnTo={returnTo} />
          ) : options.error ? (
            <ErrorState error={options.error} title="Could not load the sign-in options" onRetry={() => void options.refetch()} />
          ) : (
            <LoadingState label="Loading sign-in options…" compact />
          )}
        </Stack>
      </Paper>
    </Center>
  );
}

function SignInChoices(props: { options: SignInOptions; returnTo: string }) {
  const { providers, guest } = props.options;
  if (providers.length === 0 && !guest) {
    return (
      <Alert color="yellow" variant="light" title="No way to sign in is configured">
        <Text size="sm">
          This Atrium has no sign-in providers and guest access is off. An administrator must configure one under{' '}
          <Text span ff="monospace" size="sm">
            auth.providers
          </Text>{' '}
          (see docs/authentication.md).
        </Text>
      </Alert>
    );
  }
  return (
    <Stack gap="sm">
      {providers.map((provider) => (
        <Button
          key={provider.id}
          component="a"
          href={providerStartUrl(provider.startUrl, props.returnTo)}
          size="md"
          fullWidth
          leftSection={<IconLogin2 size={18} aria-hidden />}
        >
          Sign in with {provider.title}
        </Button>
      ))}
      {guest && providers.length > 0 && <Divider label="or" labelPosition="center" />}
      {guest && (
        <Button component="a" href={props.returnTo} size="md" fullWidth variant="default" leftSection={<IconUser size={18} aria-hidden />}>
          Continue as guest
        </Button>
      )}
    </Stack>
  );
}
