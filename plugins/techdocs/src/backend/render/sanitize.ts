import sanitizeHtml from 'sanitize-html';

/** What a link in a page points at, as the build resolved it. */
export interface ResolvedLink {
  /** The href to keep, or null to drop it (the text stays). */
  href: string | null;
  /** Reader route when the link goes to a page of the same site. */
  route?: string;
  anchor?: string;
  broken?: boolean;
  external?: boolean;
}

export interface SanitizeOptions {
  resolveLink(href: string): ResolvedLink;
  /** New src for an image, or null to drop the src. */
  resolveImage(src: string): string | null;
  /** Hosts iframes may load from (`techdocs.sanitizer.allowedIframeHosts`). */
  allowedIframeHosts: readonly string[];
  warn(message: string): void;
}

const ALLOWED_TAGS = [
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'p',
  'br',
  'hr',
  'a',
  'img',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'code',
  'kbd',
  'samp',
  'var',
  'em',
  'strong',
  'b',
  'i',
  'u',
  's',
  'del',
  'ins',
  'mark',
  'small',
  'sub',
  'sup',
  'abbr',
  'span',
  'div',
  'section',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
  'colgroup',
  'col',
  'details',
  'summary',
  'figure',
  'figcaption',
  'input',
  'iframe',
  'q',
  'cite',
  'time',
  'wbr',
  'center',
];

// Classes the reader styles; anything else an author writes is dropped, so page HTML cannot
// borrow the portal's own class names.
const ALLOWED_CLASSES: Array<string | RegExp> = [
  /^admonition(-[a-z0-9-]+)?$/,
  /^tabbed-[a-z-]+$/,
  /^task-list-[a-z-]+$/,
  'contains-task-list',
  /^footnote(s|-[a-z-]+)?$/,
  'headerlink',
  'mermaid',
  /^language-[\w-]+$/,
  'code-block',
  'code-title',
  'broken-link',
  'external-link',
  'md-button',
  'md-button--primary',
];

const SAFE_SCHEMES = ['http', 'https', 'mailto', 'tel'];

/**
 * Signs of hostile or unsupported raw HTML, reported in the build log. The sanitizer removes them
 * either way; this only tells the author what was dropped and why.
 */
const UNSAFE_PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/<script\b/i, () => 'removed a <script> element'],
  [/<(style|object|embed|form|link|meta|base|frame|frameset|applet|svg|math|textarea|button|select)\b/i, (m) => `removed a <${m[1]!.toLowerCase()}> element`],
  // A tag ends at `>` or the next `<`; `["']\s*` is one optional unit. (With `[^>]*?` and
  // `\s*["']?\s*` these took time quadratic in a page's text: seconds for 50 kB.)
  [/<[a-z][^<>]*?\s(on[a-z]+)\s*=/i, (m) => `removed an event handler attribute (${m[1]!.toLowerCase()}=)`],
  [/\b(?:href|src|action|formaction|xlink:href)\s*=\s*(?:["']\s*)?(javascript|vbscript|data)\s*:/i, (m) => `removed a ${m[1]!.toLowerCase()}: URL`],
];

export function reportUnsafeHtml(html: string, warn: (message: string) => void): void {
  for (const [pattern, describe] of UNSAFE_PATTERNS) {
    const m = pattern.exec(html);
    if (m) warn(`Unsafe HTML: ${describe(m)}`);
  }
}

function iframeAllowed(src: string | undefined, hosts: readonly string[]): boolean {
  if (!src) return false;
  try {
    const url = new URL(src);
    return url.protocol === 'https:' && hosts.some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`));
  } catch {
    return false;
  }
}

/**
 * Cleans a rendered page with an allow-list: known tags, attributes and classes only; no
 * scripts, event handlers, styles (except table alignment) or javascript:/data: links.
 * Links and images are rewritten here, so raw HTML `<a>`/`<img>` get the same treatment as
 * Markdown ones.
 */
export function sanitizePage(html: string, options: SanitizeOptions): string {
  reportUnsafeHtml(html, options.warn);
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      '*': ['id', 'title', 'lang', 'dir', 'class', 'aria-label', 'aria-hidden'],
      a: ['href', 'name', 'target', 'rel', 'download', 'data-docs-route', 'data-docs-anchor'],
      img: ['src', 'alt', 'width', 'height', 'loading'],
      th: ['colspan', 'rowspan', 'align', 'style'],
      td: ['colspan', 'rowspan', 'align', 'style'],
      col: ['span'],
      colgroup: ['span'],
      ol: ['start', 'type', 'reversed'],
      li: ['value'],
      input: ['type', 'checked', 'disabled'],
      details: ['open'],
      abbr: ['title'],
      time: ['datetime'],
      iframe: ['src', 'width', 'height', 'allow', 'allowfullscreen', 'frameborder', 'referrerpolicy', 'loading'],
    },
    allowedClasses: { '*': ALLOWED_CLASSES },
    allowedStyles: { th: { 'text-align': [/^(left|right|center)$/] }, td: { 'text-align': [/^(left|right|center)$/] } },
    allowedSchemes: SAFE_SCHEMES,
    allowedSchemesByTag: { img: ['http', 'https', 'data'], iframe: ['https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'action'],
    allowProtocolRelative: false,
    allowedIframeDomains: [...options.allowedIframeHosts],
    allowIframeRelativeUrls: false,
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'template', 'svg', 'math', 'object'],
    exclusiveFilter(frame) {
      if (frame.tag === 'iframe' && !frame.attribs['src']) return true;
      if (frame.tag === 'input' && frame.attribs['type'] !== 'checkbox') return true;
      return false;
    },
    transformTags: {
      a(tagName, attribs) {
        const out: sanitizeHtml.Attributes = {};
        for (const [k, v] of Object.entries(attribs)) if (!k.startsWith('data-')) out[k] = v;
        if (attribs['href'] !== undefined) {
          const resolved = options.resolveLink(attribs['href']);
          delete out['href'];
          if (resolved.href !== null) out['href'] = resolved.href;
          if (resolved.route !== undefined) out['data-docs-route'] = resolved.route;
          if (resolved.anchor) out['data-docs-anchor'] = resolved.anchor;
          if (resolved.broken) out['class'] = [out['class'], 'broken-link'].filter(Boolean).join(' ');
          if (resolved.external) {
            out['rel'] = 'noopener noreferrer';
            out['class'] = [out['class'], 'external-link'].filter(Boolean).join(' ');
          }
        }
        if (out['target'] && out['target'] !== '_blank') delete out['target'];
        if (out['target'] === '_blank') out['rel'] = 'noopener noreferrer';
        return { tagName, attribs: out };
      },
      img(tagName, attribs) {
        const out: sanitizeHtml.Attributes = { ...attribs, loading: 'lazy' };
        if (attribs['src'] !== undefined) {
          const src = options.resolveImage(attribs['src']);
          if (src === null) delete out['src'];
          else out['src'] = src;
        }
        return { tagName, attribs: out };
      },
      iframe(tagName, attribs) {
        // Runs before attribute filtering, so the refused host can still be named in the log.
        if (!iframeAllowed(attribs['src'], options.allowedIframeHosts)) {
          options.warn(`Removed an <iframe> from ${hostOf(attribs['src'])}: add the host to techdocs.sanitizer.allowedIframeHosts to allow it`);
          return { tagName, attribs: {} };
        }
        return { tagName, attribs: { ...attribs, loading: 'lazy' } };
      },
      input(tagName, attribs) {
        const out: sanitizeHtml.Attributes = { type: 'checkbox', disabled: '' };
        if (attribs['checked'] !== undefined) out['checked'] = '';
        return { tagName, attribs: out };
      },
    },
  });
}

function hostOf(src: string | undefined): string {
  try {
    return new URL(src ?? '').hostname || 'an unknown host';
  } catch {
    return 'an invalid URL';
  }
}
