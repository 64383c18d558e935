import { useEntity } from '@atrium/frontend-plugin-api';
import { SectionCard } from '@atrium/ui';
import { Anchor, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useInitiatives } from './api';
import { DeadlineBadge, InitiativeProgressBar } from './Initiatives';
import { initiativePath } from './paths';

/** On an Initiative entity's overview: how many entities meet it and how long is left. */
export default function InitiativeProgressCard() {
  const entity = useEntity();
  const query = useInitiatives();
  const id = entity.metadata.name;
  const initiative = query.data?.items.find((i) => i.id === id);
  const rejected = query.data?.errors.filter((e) => e.initiative === id) ?? [];
  if (!query.data) return null;
  return (
    <SectionCard
      title="Progress"
      actions={
        <Anchor component={Link} to={initiativePath(id)} size="sm">
          Open
        </Anchor>
      }
    >
      {initiative ? (
        <Group gap="sm">
          <InitiativeProgressBar passing={initiative.passing} total={initiative.total} />
          <DeadlineBadge daysLeft={initiative.daysLeft} />
        </Group>
      ) : (
        <Text size="sm" c={rejected.length ? 'red' : 'dimmed'}>
          {rejected.length ? `Not tracked: ${rejected.map((e) => e.message).join('; ')}` : 'Not tracked yet.'}
        </Text>
      )}
    </SectionCard>
  );
}
