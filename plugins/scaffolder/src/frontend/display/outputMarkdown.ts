import MarkdownIt from 'markdown-it';
import { isExternalHref, safeHref } from './safeHref';

// Template output text is Markdown written by whoever registered the template, with values a
// user typed into the form: raw HTML is escaped (html: false) and links/images keep only
// http(s) or relative targets, so nothing in it can run script in the page.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
markdown.validateLink = (url) => safeHref(url) !== undefined;

const renderToken = markdown.renderer.renderToken.bind(markdown.renderer);
markdown.renderer.rules.link_open = (tokens, idx, options) => {
  const token = tokens[idx]!;
  const href = String(token.attrGet('href') ?? '');
  if (isExternalHref(href)) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener noreferrer');
  }
  return renderToken(tokens, idx, options);
};

// The output sits in a section under the page's h1 and the card's h2/h3: a Markdown `#` is an h4.
const HEADING_SHIFT = 3;
markdown.renderer.rules.heading_open = (tokens, idx, options) => {
  const token = tokens[idx]!;
  token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + HEADING_SHIFT)}`;
  return renderToken(tokens, idx, options);
};
markdown.renderer.rules.heading_close = (tokens, idx, options) => {
  const token = tokens[idx]!;
  token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + HEADING_SHIFT)}`;
  return renderToken(tokens, idx, options);
};

/** Markdown to HTML that is safe to insert: no raw HTML, no script or data URLs. */
export function renderOutputMarkdown(source: string): string {
  return markdown.render(source);
}
