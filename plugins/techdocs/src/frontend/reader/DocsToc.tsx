import { Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { TocEntry } from '../../common';

/** "On this page": the page's h2/h3 headings; the one being read is highlighted as you scroll. */
export function DocsToc(props: { toc: TocEntry[]; route: string; active: string | null; navigate(route: string, anchor?: string | null): void }) {
  const entries = props.toc.filter((e) => e.level <= 3);
  const current = useScrollSpy(
    entries.map((e) => e.anchor),
    props.active,
  );
  if (entries.length === 0) return null;
  return (
    <nav aria-labelledby="atrium-docs-toc-title">
      <Text id="atrium-docs-toc-title" size="xs" fw={700} tt="uppercase" c="dimmed" mb={6}>
        On this page
      </Text>
      <ul className="atrium-docs-toc-list">
        {entries.map((e) => (
          <li key={e.anchor} data-level={e.level}>
            <a
              href={`#${encodeURIComponent(e.anchor)}`}
              aria-current={current === e.anchor ? 'location' : undefined}
              onClick={(ev) => {
                ev.preventDefault();
                props.navigate(props.route, e.anchor);
              }}
            >
              {e.title}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The last heading scrolled past the top of the viewport. */
function useScrollSpy(anchors: string[], initial: string | null): string | null {
  const [current, setCurrent] = useState<string | null>(initial);
  const joined = anchors.join('\n');
  useEffect(() => {
    const ids = joined ? joined.split('\n') : [];
    if (ids.length === 0) return;
    const update = () => {
      let found: string | null = null;
      for (const id of ids) {
        const el = document.getElementById(id);
        if (el && el.getBoundingClientRect().top <= 120) found = id;
      }
      setCurrent(found ?? ids[0] ?? null);
    };
    update();
    window.addEventListener('scroll', update, { passive: true });
    return () => window.removeEventListener('scroll', update);
  }, [joined]);
  return current;
}
