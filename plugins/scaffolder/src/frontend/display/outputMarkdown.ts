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

/** Markdown to HTML that is safe to insert: no raw HTML, no script or data URLs. */
export function renderOutputMarkdown(source: string): string {
  return markdown.render(source);
}
