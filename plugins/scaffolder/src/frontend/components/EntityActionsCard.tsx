import { useEntity, usePermissions } from '@atrium/frontend-plugin-api';
import { SectionCard } from '@atrium/ui';
import { Button, Group, Text } from '@mantine/core';
import { IconWand } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useEntityActions } from '../api';
import { refOf, templatePath } from '../refs';

/** Day-2 actions: templates whose `spec.entityFilter` matches this entity, pre-filled with it. */
export default function EntityActionsCard() {
  const entity = useEntity();
  const ref = refOf(entity);
  const query = useEntityActions(ref);
  const all = (query.data?.items ?? []).flatMap((a) => {
    const path = templatePath(a.templateRef);
    return path ? [{ ...a, to: `${path}?formData=${encodeURIComponent(JSON.stringify({ [a.parameter]: ref }))}` }] : [];
  });
  // Only the actions whose template the caller may run (one batched check).
  const allowed = usePermissions(all.map((a) => ({ permission: 'scaffolder.task.create', resourceRef: a.templateRef })));
  const items = all.filter((_, i) => allowed[i]?.allowed);
  if (!items.length && !query.error) return null;
  return (
    <SectionCard title="Actions">
      <Group gap="xs">
        {items.map((a) => (
          <Button
            key={a.templateRef}
            size="xs"
            variant="light"
            leftSection={<IconWand size={14} aria-hidden />}
            component={Link}
            to={a.to}
            title={a.description}
          >
            {a.title}
          </Button>
        ))}
      </Group>
      {query.error ? (
        <Text size="xs" c="red">
          Could not load the actions for this entity.
        </Text>
      ) : null}
    </SectionCard>
  );
}
