import { Badge, Group } from '@mantine/core';

const LIFECYCLE_COLORS: Record<string, string> = {
  production: 'teal',
  experimental: 'yellow',
  deprecated: 'red',
  development: 'blue',
};

/** A lifecycle label; colour only reinforces the word. */
export function LifecycleBadge(props: { lifecycle: string; size?: 'xs' | 'sm' | 'md' }) {
  return (
    <Badge
      variant="light"
      radius="sm"
      size={props.size ?? 'sm'}
      color={LIFECYCLE_COLORS[props.lifecycle.toLowerCase()] ?? 'gray'}
      tt="none"
      style={{ flexShrink: 0 }}
    >
      {props.lifecycle}
    </Badge>
  );
}

/** Tags as small outlined badges; long lists wrap (or are cut with a "+N" when `max` is set). */
export function TagList(props: { tags: readonly string[]; max?: number; wrap?: boolean }) {
  const shown = props.max !== undefined ? props.tags.slice(0, props.max) : props.tags;
  const hidden = props.tags.length - shown.length;
  return (
    <Group gap={4} wrap={props.wrap === false ? 'nowrap' : 'wrap'} style={{ overflow: 'hidden' }}>
      {shown.map((tag) => (
        <Badge key={tag} variant="outline" color="gray" radius="sm" size="sm" tt="none" style={{ flexShrink: 0 }}>
          {tag}
        </Badge>
      ))}
      {hidden > 0 && (
        <Badge variant="transparent" color="gray" size="sm" tt="none" title={props.tags.slice(shown.length).join(', ')}>
          +{hidden}
        </Badge>
      )}
    </Group>
  );
}
