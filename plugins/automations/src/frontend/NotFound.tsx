import { NotFoundPage } from '@atrium/ui';
import { Button } from '@mantine/core';
import { IconBolt } from '@tabler/icons-react';
import { Link } from 'react-router';

/** The not-found page for an unknown automation or address under /automations, with a way back. */
export function AutomationsNotFound(props: { title?: string }) {
  return (
    <NotFoundPage
      {...(props.title ? { title: props.title } : {})}
      actions={
        <Button component={Link} to="/automations" leftSection={<IconBolt size={16} aria-hidden />}>
          All automations
        </Button>
      }
    />
  );
}
