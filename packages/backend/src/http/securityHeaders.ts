import helmet from 'helmet';
import type { RequestHandler } from 'express';

/** `backend.csp`: directive name to its sources, or false to drop the directive (Backstage's shape). */
export type CspOverrides = Record<string, string[] | false>;

/**
 * The Content-Security-Policy the built app runs under. Scripts come only from our own origin:
 * no inline `<script>`, no `on*=` attributes, no eval (the template form validates JSON Schema
 * without generating code). Styles may be inline because Mantine sets CSS variables and
 * `style` attributes at run time; images may come from any https site (people's avatars,
 * pictures in docs); the API explorer's "Try it out" calls the API's own servers, hence
 * http/https in connect-src. Nothing may frame the app.
 */
export function defaultCspDirectives(https: boolean): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'https:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", 'http:', 'https:'],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

export function cspDirectives(baseUrl: URL, overrides: CspOverrides = {}): Record<string, string[]> {
  // An override replaces a directive (keeping its place), adds one at the end, or with `false` drops it.
  const merged: CspOverrides = { ...defaultCspDirectives(baseUrl.protocol === 'https:'), ...overrides };
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string[]] => entry[1] !== false));
}

/**
 * Headers for API responses (`/api/...`): they are data, never a document a browser should
 * render, so one short policy forbids everything (`default-src 'none'`, no framing), plus nosniff,
 * no referrer and same-origin resource policy. Kept short on purpose: at thousands of small JSON
 * answers a second the full document policy's ~750 bytes of headers cost a quarter of the
 * throughput (bench/load.mjs).
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

/**
 * Browser protections on every response. Pages of the app get the CSP above,
 * `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` (for browsers without
 * frame-ancestors), a strict referrer policy and same-origin opener/resource policies; API
 * responses get API_SECURITY_HEADERS. Both get HSTS when the public URL is https.
 */
export function securityHeaders(baseUrl: URL, overrides?: CspOverrides): RequestHandler {
  const https = baseUrl.protocol === 'https:';
  const hsts = https ? `max-age=${180 * 24 * 3600}` : undefined;
  const pages = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(baseUrl, overrides) },
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: https ? { maxAge: 180 * 24 * 3600, includeSubDomains: false } : false,
  }) as RequestHandler;
  const api = Object.entries(API_SECURITY_HEADERS);
  return (req, res, next) => {
    if (req.path.startsWith('/api/')) {
      for (const [name, value] of api) res.setHeader(name, value);
      if (hsts) res.setHeader('Strict-Transport-Security', hsts);
      next();
      return;
    }
    pages(req, res, next);
  };
}
