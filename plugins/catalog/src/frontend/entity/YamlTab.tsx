import { useEntity } from '@atrium/frontend-plugin-api';
import { SectionCard } from '@atrium/ui';
import { Button, Code, CopyButton, Group, ScrollArea, Switch, Text } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { dump } from 'js-yaml';
import { useMemo, useState } from 'react';

/** The entity exactly as the catalog serves it, as YAML; relations and status are output fields. */
export default function YamlTab() {
  const entity = useEntity();
  const [withOutput, setWithOutput] = useState(true);
  const yaml = useMemo(() => {
    const { relations: _relations, status: _status, ...descriptor } = entity;
    return dump(withOutput ? entity : descriptor, { lineWidth: 120, noRefs: true });
  }, [entity, withOutput]);
  return (
    <SectionCard
      title="Raw YAML"
      description="What the catalog stores for this entity, after processing."
      actions={
        <Group gap="sm">
          <Switch label="Relations and status" checked={withOutput} onChange={(event) => setWithOutput(event.currentTarget.checked)} size="sm" />
          <CopyButton value={yaml}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy} leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
      }
    >
      <ScrollArea.Autosize mah="70vh" type="auto">
        <Code block style={{ whiteSpace: 'pre', fontSize: 'var(--mantine-font-size-xs)' }} tabIndex={0} aria-label="Entity YAML">
          {yaml}
        </Code>
      </ScrollArea.Autosize>
      <Text size="xs" c="dimmed">
        Edit the descriptor in its repository, not here: the catalog re-reads it on every refresh.
      </Text>
    </SectionCard>
  );
}
