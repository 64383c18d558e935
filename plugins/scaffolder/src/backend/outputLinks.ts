/** Schemes an output link may use; anything else (javascript:, data:, vbscript:, blob:, ...) is dropped. */
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'file:', 'ssh:', 'git:']);

/**
 * Whether a template's output link URL is safe to hand to a browser: http(s), mailto, the git
 * transports (file, ssh, git: shown for cloning), or a relative path. Parsed as a browser would
 * (tabs and newlines inside the scheme are ignored), so `java\tscript:` is caught too.
 */
export function isSafeLinkUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://relative.invalid/');
  } catch {
    return false;
  }
  return SAFE_SCHEMES.has(parsed.protocol);
}

/** The output's links with every unsafe `url` removed (the link keeps its title and entityRef). */
export function safeOutputLinks(links: unknown[]): unknown[] {
  return links.map((link) => {
    if (!link || typeof link !== 'object' || !('url' in link)) return link;
    const { url, ...rest } = link as { url: unknown };
    return isSafeLinkUrl(url) ? link : rest;
  });
}
