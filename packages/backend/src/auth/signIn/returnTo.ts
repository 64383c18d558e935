/**
 * Where a finished sign-in may send the browser: a path on this origin only. Anything that is
 * not a single-slash absolute path (`https://elsewhere`, `//elsewhere`, `/\elsewhere`, control
 * characters, overlong values) becomes `/`.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // Browsers drop tabs and newlines from URLs, which would turn `/\t/evil` into `//evil`.
  for (const ch of value) if (ch.charCodeAt(0) < 0x20 || ch === '\u007f' || ch === '\\') return '/';
  // The URL parser is the last word: the value must stay on a placeholder origin.
  try {
    const url = new URL(value, 'http://same.invalid');
    if (url.origin !== 'http://same.invalid') return '/';
    return url.pathname + url.search + url.hash;
  } catch {
    return '/';
  }
}
