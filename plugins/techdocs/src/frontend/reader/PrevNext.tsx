import { Group, Paper, Text, UnstyledButton } from '@mantine/core';
import { IconArrowLeft, IconArrowRight } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { PageRef } from '../../common';

/** Previous and next page in nav order, at the foot of every page. */
export function PrevNext(props: { prev: PageRef | null; next: PageRef | null; hrefFor(route: string): string }) {
  if (!props.prev && !props.next) return null;
  return (
    <nav aria-label="Previous and next page" className="atrium-docs-prevnext">
      <Group grow align="stretch" gap="md" mt="xl">
        {props.prev ? <Card to={props.hrefFor(props.prev.route)} label="Previous" title={props.prev.title} rel="prev" /> : <span />}
        {props.next ? <Card to={props.hrefFor(props.next.route)} label="Next" title={props.next.title} rel="next" /> : <span />}
      </Group>
    </nav>
  );
}

function Card(props: { to: string; label: string; title: string; rel: 'prev' | 'next' }) {
  const next = props.rel === 'next';
  return (
    <UnstyledButton component={Link} to={props.to} rel={props.rel} aria-label={`${props.label}: ${props.title}`}>
      <Paper withBorder radius="md" p="sm" className="atrium-docs-prevnext-card" ta={next ? 'right' : 'left'}>
        <Group gap={6} justify={next ? 'flex-end' : 'flex-start'} c="dimmed">
          {!next && <IconArrowLeft size={14} aria-hidden />}
          <Text size="xs" c="dimmed">
            {props.label}
          </Text>
          {next && <IconArrowRight size={14} aria-hidden />}
        </Group>
        <Text fw={600} size="sm">
          {props.title}
        </Text>
      </Paper>
    </UnstyledButton>
  );
}
