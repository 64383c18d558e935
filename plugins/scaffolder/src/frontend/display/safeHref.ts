/**
 * A link target from template output or a notification, kept only when it is http(s) or
 * relative to the app: `javascript:`, `data:`, `vbscript:`, `file:` and every other scheme
 * give undefined, so the caller renders plain text instead of a link.
 */
export function safeHref(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  // Browsers drop leading/trailing C0 controls and spaces and ignore tabs/newlines inside a scheme.
  // eslint-disable-next-line no-control-regex
  const probe = url.replace(/[\u0000-\u0020\u007f]/g, '');
  if (probe === '') return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(probe);
  if (scheme) return /^https?$/i.test(scheme[1]!) ? url.trim() : undefined;
  // No scheme: a path, a query, a fragment or a protocol-relative //host (http(s) by definition).
  // A backslash is read as a slash by browsers, so "\\evil" would be //evil: refuse the odd forms.
  if (probe.startsWith('\\') || /^\/[\\]/.test(probe)) return undefined;
  return url.trim();
}

/** True when the link leaves the app (it opens in a new tab). */
export function isExternalHref(href: string): boolean {
  return /^(https?:)?\/\//i.test(href);
}
