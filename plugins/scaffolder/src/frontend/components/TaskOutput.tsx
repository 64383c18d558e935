import { EntityRefLink } from '@atrium/ui';
import { Anchor, Group, Stack, Text, Title, Typography } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { renderOutputMarkdown } from '../display/outputMarkdown';
import { isExternalHref, safeHref } from '../display/safeHref';

export interface TaskOutputShape {
  links?: Array<{ title?: unknown; url?: unknown; entityRef?: unknown; icon?: unknown }>;
  text?: Array<{ title?: unknown; content?: unknown; default?: unknown }>;
}

/** What a template's `output` has for a user: its links and its Markdown text. */
export function outputOf(output: unknown): TaskOutputShape {
  const o = (output ?? {}) as Record<string, unknown>;
  return {
    links: Array.isArray(o['links']) ? (o['links'] as TaskOutputShape['links']) : [],
    text: Array.isArray(o['text']) ? (o['text'] as TaskOutputShape['text']) : [],
  };
}

export function hasOutput(output: unknown): boolean {
  const o = outputOf(output);
  return (o.links?.length ?? 0) > 0 || (o.text?.length ?? 0) > 0;
}

/**
 * A template run's output. Links go to entity pages or to http(s)/relative URLs only (anything
 * else shows as plain text); text is Markdown rendered without raw HTML (see outputMarkdown).
 */
export function TaskOutput(props: { output: unknown }) {
  const { links = [], text = [] } = outputOf(props.output);
  return (
    <Stack gap="md" data-testid="task-output">
      {links.length > 0 && (
        <Group gap="md" wrap="wrap">
          {links.map((l, i) => (
            <OutputLink key={i} link={l} />
          ))}
        </Group>
      )}
      {text.map((t, i) => (
        <OutputText key={i} title={typeof t.title === 'string' ? t.title : undefined} content={typeof t.content === 'string' ? t.content : ''} />
      ))}
    </Stack>
  );
}

function OutputLink({ link }: { link: NonNullable<TaskOutputShape['links']>[number] }) {
  const title = typeof link.title === 'string' && link.title ? link.title : undefined;
  if (typeof link.entityRef === 'string' && link.entityRef) return <EntityRefLink entityRef={link.entityRef} {...(title ? { title } : {})} />;
  const href = safeHref(link.url);
  const label = title ?? (typeof link.url === 'string' ? link.url : 'Link');
  if (!href) return <Text span>{label}</Text>;
  if (isExternalHref(href)) {
    return (
      <Anchor href={href} target="_blank" rel="noopener noreferrer">
        <Group component="span" gap={4} wrap="nowrap" display="inline-flex">
          {label}
          <IconExternalLink size={14} aria-hidden />
        </Group>
      </Anchor>
    );
  }
  return (
    <Anchor component={Link} to={href}>
      {label}
    </Anchor>
  );
}

function OutputText(props: { title: string | undefined; content: string }) {
  const html = useMemo(() => renderOutputMarkdown(props.content), [props.content]);
  return (
    <section>
      {props.title && (
        <Title order={3} size="h5" mb={4}>
          {props.title}
        </Title>
      )}
      <Typography fz="sm" style={{ overflowWrap: 'anywhere' }} dangerouslySetInnerHTML={{ __html: html }} />
    </section>
  );
}
