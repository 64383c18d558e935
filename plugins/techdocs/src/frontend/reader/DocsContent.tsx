import { Title, useComputedColorScheme } from '@mantine/core';
import { useEffect, useRef, type MouseEvent } from 'react';
import type { DocsPage } from '../../common';
import { addCopyButtons, enhanceTabs } from './enhanceContent';
import { renderMermaid } from './mermaid';

/**
 * A page's HTML (sanitized when the site was built) plus what the browser adds: in-site links
 * that stay in the reader, tabs, copy buttons, Mermaid diagrams, scrolling to the anchor.
 */
export function DocsContent(props: { page: DocsPage; anchor: string | null; navigate(route: string, anchor?: string | null): void }) {
  const ref = useRef<HTMLElement>(null);
  const dark = useComputedColorScheme('light') === 'dark';
  const { page, anchor } = props;

  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    enhanceTabs(root);
    addCopyButtons(root);
  }, [page.html]);

  useEffect(() => {
    const root = ref.current;
    if (!root || !page.hasMermaid) return;
    let stale = false;
    void renderMermaid(root, dark, () => stale);
    return () => {
      stale = true;
    };
  }, [page.html, page.hasMermaid, dark]);

  useEffect(() => {
    if (!anchor) return;
    const target = document.getElementById(anchor);
    if (target) requestAnimationFrame(() => target.scrollIntoView({ block: 'start' }));
  }, [page.html, anchor]);

  const onClick = (e: MouseEvent<HTMLElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const link = (e.target as HTMLElement).closest('a');
    if (!link || !ref.current?.contains(link)) return;
    const route = link.getAttribute('data-docs-route');
    const href = link.getAttribute('href') ?? '';
    const go = (r: string, a: string | null) => {
      e.preventDefault();
      props.navigate(r, a);
      if (r === page.route && a) document.getElementById(a)?.scrollIntoView({ block: 'start' });
    };
    if (route !== null) go(route, link.getAttribute('data-docs-anchor'));
    else if (href.startsWith('#') && href.length > 1) go(page.route, decodeURIComponent(href.slice(1)));
    else if (/^https?:/i.test(href)) {
      link.target = '_blank';
    }
  };

  const hasHeading = /^\s*<h1[\s>]/.test(page.html);
  return (
    <>
      {!hasHeading && (
        <Title order={1} className="atrium-docs-page-title">
          {page.title}
        </Title>
      )}
      {/* Clicks are delegated from the container: the links are in server-rendered HTML. */}
      {/* eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions */}
      <article ref={ref} className="atrium-docs-content" onClick={onClick} dangerouslySetInnerHTML={{ __html: page.html }} />
    </>
  );
}
