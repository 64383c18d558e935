import type { Entity } from '@atrium/catalog-model';
import { SectionCard } from '@atrium/ui';
import { Anchor, Group, Stack, Text } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';

/** `metadata.links`; only http(s) and mailto links become clickable. */
export function LinksCard(props: { entity: Entity }) {
  const links = props.entity.metadata.links ?? [];
  if (links.length === 0) return null;
  return (
    <SectionCard title="Links">
      <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {links.map((link) => {
          const safe = /^(https?:|mailto:)/i.test(link.url);
          return (
            <li key={link.url}>
              {safe ? (
                <Anchor href={link.url} target="_blank" rel="noreferrer" size="sm">
                  <Group component="span" gap={6} wrap="nowrap" display="inline-flex">
                    <IconExternalLink size={14} aria-hidden />
                    <span>{link.title ?? link.url}</span>
                  </Group>
                </Anchor>
              ) : (
                <Text size="sm">
                  {link.title ?? link.url}{' '}
                  <Text span c="dimmed" size="xs">
                    ({link.url})
                  </Text>
                </Text>
              )}
            </li>
          );
        })}
      </Stack>
    </SectionCard>
  );
}
