import { Mark } from '@mantine/core';
import type { SearchHighlight } from './types';
import { splitHighlight } from './highlight';

/**
 * A field of a search result with its matched terms marked. The highlight is split into text
 * nodes and <mark> elements; it is never handed to the browser as HTML.
 */
export function Highlighted(props: { highlight?: SearchHighlight; field: 'title' | 'text'; fallback: string }) {
  const value = props.highlight?.fields[props.field];
  if (!value || !props.highlight) return <>{props.fallback}</>;
  const parts = splitHighlight(value, props.highlight.preTag, props.highlight.postTag);
  return (
    <>
      {parts.map((part, i) =>
        part.marked ? (
          <Mark key={i} color="yellow" px={1}>
            {part.text}
          </Mark>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}
