/**
 * A notification's link, kept only when it is http(s) or a path in the app: any other scheme
 * (`javascript:`, `data:` …), a protocol-relative `//host` or a backslash form gives undefined,
 * so the page renders plain text instead.
 */
export function safeLink(link: string | undefined): { href: string; external: boolean } | undefined {
  if (!link) return undefined;
  // Browsers ignore controls and spaces around and inside a scheme: judge the link without them.
  // eslint-disable-next-line no-control-regex
  const bare = link.replace(/[\u0000-\u0020\u007f]/g, '');
  if (/^https?:\/\/[^/\\]/i.test(bare)) return { href: link.trim(), external: true };
  if (/^\/(?![/\\])/.test(bare)) return { href: link.trim(), external: false };
  return undefined;
}
