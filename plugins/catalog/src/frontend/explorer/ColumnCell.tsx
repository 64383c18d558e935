import { EntityRefLink } from '@atrium/ui';
import { Group, Text } from '@mantine/core';
import { Fragment } from 'react';
import { LifecycleBadge, TagList } from '../components/EntityBadges';
import { KindIcon } from '../components/KindIcon';
import type { CellValue } from './columns';

/** One explorer cell. Content stays on one line, so every row has the same height for virtualization. */
export function ColumnCell(props: { value: CellValue }) {
  const { value } = props;
  switch (value.type) {
    case 'text':
      return value.text ? (
        <Text size="sm" truncate="end" title={value.text}>
          {value.text}
        </Text>
      ) : (
        <Missing />
      );
    case 'refs':
      if (value.refs.length === 0) return <Missing />;
      return (
        <Text size="sm" truncate="end">
          {value.refs.map((ref, index) => (
            <Fragment key={ref}>
              {index > 0 && ', '}
              <EntityRefLink entityRef={ref} defaultKind={value.defaultKind} defaultNamespace={value.defaultNamespace} size="sm" />
            </Fragment>
          ))}
        </Text>
      );
    case 'tags':
      return value.tags.length > 0 ? <TagList tags={value.tags} max={3} wrap={false} /> : <Missing />;
    case 'lifecycle':
      return value.lifecycle ? <LifecycleBadge lifecycle={value.lifecycle} /> : <Missing />;
    case 'kind':
      return (
        <Group gap={6} wrap="nowrap">
          <KindIcon kind={value.kind} />
          <Text size="sm" truncate="end">
            {value.kind}
          </Text>
        </Group>
      );
  }
}

function Missing() {
  return (
    <Text size="sm" c="dimmed" aria-label="none">
      –
    </Text>
  );
}
