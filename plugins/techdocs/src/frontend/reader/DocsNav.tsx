import { NavLink } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { NavNode } from '../../common';

function containsRoute(node: NavNode, route: string): boolean {
  if (node.type === 'page') return node.route === route;
  if (node.type === 'section') return node.children.some((c) => containsRoute(c, route));
  return false;
}

/** The site's nav tree; the section holding the current page starts open. */
export function DocsNav(props: { nav: NavNode[]; route: string; hrefFor(route: string): string }) {
  return (
    <nav aria-label="Pages">
      <NavTree nodes={props.nav} {...props} depth={0} />
    </nav>
  );
}

function NavTree(props: { nodes: NavNode[]; route: string; hrefFor(route: string): string; depth: number }) {
  return (
    <>
      {props.nodes.map((node, i) => {
        const key = `${i}-${node.title}`;
        if (node.type === 'page') {
          const active = node.route === props.route;
          return (
            <NavLink
              key={key}
              component={Link}
              to={props.hrefFor(node.route)}
              label={node.title}
              active={active}
              aria-current={active ? 'page' : undefined}
              variant="light"
              py={5}
              styles={{ label: { fontSize: 'var(--mantine-font-size-sm)' } }}
            />
          );
        }
        if (node.type === 'link') {
          return (
            <NavLink
              key={key}
              component="a"
              href={node.url}
              target="_blank"
              rel="noopener noreferrer"
              label={node.title}
              rightSection={<IconExternalLink size={12} aria-label="(opens in a new tab)" />}
              py={5}
              styles={{ label: { fontSize: 'var(--mantine-font-size-sm)' } }}
            />
          );
        }
        return (
          <NavLink
            key={key}
            component="button"
            type="button"
            label={node.title}
            defaultOpened={props.depth === 0 || containsRoute(node, props.route)}
            childrenOffset={12}
            py={5}
            styles={{ label: { fontSize: 'var(--mantine-font-size-sm)', fontWeight: 600 } }}
          >
            <NavTree {...props} nodes={node.children} depth={props.depth + 1} />
          </NavLink>
        );
      })}
    </>
  );
}
