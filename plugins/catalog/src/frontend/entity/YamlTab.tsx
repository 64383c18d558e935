import { useEntity } from '@atrium/frontend-plugin-api';
import { CodeBlock, SectionCard } from '@atrium/ui';
import { Switch, Text } from '@mantine/core';
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
      actions={<Switch label="Relations and status" checked={withOutput} onChange={(event) => setWithOutput(event.currentTarget.checked)} size="sm" />}
    >
      <CodeBlock code={yaml} label="Entity YAML" maxHeight="70vh" copyLabel="Copy" />
      <Text size="xs" c="dimmed">
        Edit the descriptor in its repository, not here: the catalog re-reads it on every refresh.
      </Text>
    </SectionCard>
  );
}
