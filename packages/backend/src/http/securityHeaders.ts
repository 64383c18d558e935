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
 * Browser protections on every response: the CSP above, `X-Content-Type-Options: nosniff`,
 * `X-Frame-Options: DENY` (for browsers without frame-ancestors), a strict referrer policy,
 * same-origin opener/resource policies, and HSTS when the public URL is https.
 */
export function securityHeaders(baseUrl: URL, overrides?: CspOverrides): RequestHandler {
  const https = baseUrl.protocol === 'https:';
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(baseUrl, overrides) },
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: https ? { maxAge: 180 * 24 * 3600, includeSubDomains: false } : false,
  }) as RequestHandler;
}
