import { Typography } from '@mantine/core';
import MarkdownIt from 'markdown-it';
import { useMemo } from 'react';

// Raw HTML in API descriptions is escaped (html: false) and markdown-it refuses javascript:
// and similar link targets, so the output is safe to insert.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
const defaultLinkOpen = markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('target', '_blank');
  tokens[idx]!.attrSet('rel', 'noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Markdown from an API definition (descriptions are CommonMark in OpenAPI and AsyncAPI). */
export function Markdown(props: { source: string | undefined; size?: 'sm' | 'md' }) {
  const html = useMemo(() => (props.source ? markdown.render(props.source) : ''), [props.source]);
  if (!html) return null;
  return <Typography fz={props.size ?? 'sm'} dangerouslySetInnerHTML={{ __html: html }} />;
}
