import type { Request, Response } from 'express';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Whether the request is a browser navigation (wants a page) rather than an API call (wants JSON). */
export function wantsHtml(req: Request): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * A small page for a refused sign-in, shown where the identity provider sent the browser. Plain
 * HTML without scripts or styles, so the API's deny-all security policy applies unchanged. Its
 * link goes to the app's sign-in page (`/sign-in`), back to where the sign-in was meant to land.
 */
export function sendSignInFailedPage(res: Response, status: number, message: string, returnTo = '/'): void {
  const again = returnTo === '/' ? '/sign-in' : `/sign-in?${new URLSearchParams({ returnTo }).toString()}`;
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in failed</title></head>` +
        `<body><main><h1>Sign-in failed</h1><p>${escapeHtml(message)}</p>` +
        `<p><a href="${escapeHtml(again)}">Sign in again</a> · <a href="/">Portal home</a></p></main></body></html>`,
    );
}
