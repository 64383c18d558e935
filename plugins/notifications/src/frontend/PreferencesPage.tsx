import { isSignedIn, useCurrentUser } from '@atrium/frontend-plugin-api';
import { errorMessage, PageLayout, QueryBoundary } from '@atrium/ui';
import { ActionIcon, Alert, Button, Card, Group, Select, Stack, Switch, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { ChannelSettings, EmailMode, NotificationPreferences, PreferenceRule } from '../common';
import { useNotificationList, useNotificationPreferences, useSaveNotificationPreferences } from './api';
import { NotificationsTabs } from './NotificationsTabs';

const EMAIL_OPTIONS: Array<{ value: EmailMode; label: string }> = [
  { value: 'off', label: 'No email' },
  { value: 'immediate', label: 'Email at once' },
  { value: 'digest', label: 'Daily digest (low severity)' },
];

/** /notifications/preferences: where each kind of notification goes for the caller. */
export default function PreferencesPage() {
  const query = useNotificationPreferences();
  // Here, not in the form: the form starts afresh from what was saved, the outcome stays shown.
  const save = useSaveNotificationPreferences();
  return (
    <PageLayout title="Notifications" documentTitle="Notification preferences" subtitle="Choose where notifications reach you: here, by email, or in Slack.">
      <NotificationsTabs active="preferences" />
      <QueryBoundary query={query} loadingLabel="Loading your preferences…" errorTitle="Could not load your preferences">
        {(prefs) => <PreferencesForm key={JSON.stringify(prefs)} initial={prefs} save={save} />}
      </QueryBoundary>
    </PageLayout>
  );
}

function ChannelControls(props: { label: string; value: ChannelSettings; onChange: (v: ChannelSettings) => void }) {
  const { value, onChange, label } = props;
  return (
    <>
      <Switch label="In app" aria-label={`${label}: in app`} checked={value.inApp} onChange={(e) => onChange({ ...value, inApp: e.currentTarget.checked })} />
      <Select
        aria-label={`${label}: email`}
        data={EMAIL_OPTIONS}
        value={value.email}
        allowDeselect={false}
        w={230}
        onChange={(v) => v && onChange({ ...value, email: v as EmailMode })}
      />
      <Switch label="Slack" aria-label={`${label}: Slack`} checked={value.slack} onChange={(e) => onChange({ ...value, slack: e.currentTarget.checked })} />
    </>
  );
}

function PreferencesForm(props: { initial: NotificationPreferences; save: ReturnType<typeof useSaveNotificationPreferences> }) {
  const [prefs, setPrefs] = useState<NotificationPreferences>(props.initial);
  const [newSource, setNewSource] = useState('');
  const [newTopic, setNewTopic] = useState('');
  const { save } = props;
  const user = useCurrentUser().data;
  const signedIn = isSignedIn(user);
  // Sources seen in the caller's notifications, as suggestions for a new rule.
  const seen = useNotificationList({});
  const sources = [...new Set((seen.data?.items ?? []).map((n) => n.source))].sort();
  const setRule = (i: number, rule: PreferenceRule) => setPrefs((p) => ({ ...p, rules: p.rules.map((r, j) => (j === i ? rule : r)) }));
  const validSource = /^[a-z][a-z0-9-]{0,40}$/.test(newSource);
  const addRule = () => {
    setPrefs((p) => ({ ...p, rules: [...p.rules, { source: newSource, ...(newTopic.trim() ? { topic: newTopic.trim() } : {}), ...p.defaults }] }));
    setNewSource('');
    setNewTopic('');
  };
  const slackOn = prefs.defaults.slack || prefs.rules.some((r) => r.slack);
  const submit = () => {
    const url = prefs.slackWebhookUrl?.trim();
    const { slackWebhookUrl: _drop, ...rest } = prefs;
    save.mutate(url ? { ...rest, slackWebhookUrl: url } : rest);
  };
  return (
    <Stack gap="md">
      <Card withBorder padding="md" component="section" aria-labelledby="prefs-defaults">
        <Title order={2} size="h4" id="prefs-defaults">
          Everything else
        </Title>
        <Text size="sm" c="dimmed" mb="xs">
          For notifications no rule below names.
        </Text>
        <Group gap="lg" wrap="wrap">
          <ChannelControls label="Everything else" value={prefs.defaults} onChange={(defaults) => setPrefs((p) => ({ ...p, defaults }))} />
        </Group>
      </Card>

      <Card withBorder padding="md" component="section" aria-labelledby="prefs-rules">
        <Title order={2} size="h4" id="prefs-rules">
          By source or topic
        </Title>
        <Text size="sm" c="dimmed" mb="xs">
          A topic rule beats a source rule. Turning “In app” off hides those notifications from the list and the bell.
        </Text>
        {prefs.rules.length === 0 ? (
          <Text size="sm">No rules yet.</Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table aria-label="Notification rules" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Source</Table.Th>
                  <Table.Th>Topic</Table.Th>
                  <Table.Th>Delivery</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Remove</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {prefs.rules.map((r, i) => {
                  const label = r.topic ? `${r.source} / ${r.topic}` : r.source;
                  return (
                    <Table.Tr key={`${r.source}/${r.topic ?? ''}/${i}`}>
                      <Table.Td>{r.source}</Table.Td>
                      <Table.Td>
                        {r.topic ?? (
                          <Text c="dimmed" size="sm">
                            any
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Group gap="md" wrap="wrap">
                          <ChannelControls label={label} value={r} onChange={(v) => setRule(i, { ...r, ...v })} />
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Remove the rule for ${label}`}
                          onClick={() => setPrefs((p) => ({ ...p, rules: p.rules.filter((_, j) => j !== i) }))}
                        >
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Group gap="sm" mt="sm" align="flex-end" wrap="wrap">
          <TextInput
            label="Source"
            placeholder={sources[0] ?? 'scorecards'}
            value={newSource}
            onChange={(e) => setNewSource(e.currentTarget.value.trim())}
            error={newSource && !validSource ? 'A plugin id: lower-case letters, digits and dashes' : undefined}
            list="notification-sources"
          />
          <datalist id="notification-sources">
            {sources.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
          <TextInput label="Topic (optional)" placeholder="scorecards.level-drop" value={newTopic} onChange={(e) => setNewTopic(e.currentTarget.value)} />
          <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} disabled={!validSource} onClick={addRule}>
            Add rule
          </Button>
        </Group>
      </Card>

      <Card withBorder padding="md" component="section" aria-labelledby="prefs-slack">
        <Title order={2} size="h4" id="prefs-slack">
          Slack
        </Title>
        {signedIn ? (
          <TextInput
            label="Incoming webhook URL"
            description="Create an incoming webhook in Slack for yourself and paste its https URL. Private and internal addresses are refused."
            placeholder="https://hooks.slack.com/services/…"
            value={prefs.slackWebhookUrl ?? ''}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setPrefs((p) => ({ ...p, slackWebhookUrl: v }));
            }}
            error={
              slackOn && !prefs.slackWebhookUrl?.trim() ? 'Slack is on for some notifications but no webhook URL is set: nothing will be posted' : undefined
            }
          />
        ) : (
          <Text size="sm">Sign in to send notifications to Slack: the guest is shared by every visitor.</Text>
        )}
      </Card>

      {save.isError && (
        <Alert color="red" title="Could not save your preferences" role="alert">
          {errorMessage(save.error)}
        </Alert>
      )}
      {save.isSuccess && !save.isPending && (
        <Text size="sm" c="teal" role="status">
          Preferences saved.
        </Text>
      )}
      <Group>
        <Button onClick={submit} loading={save.isPending}>
          Save preferences
        </Button>
      </Group>
    </Stack>
  );
}
