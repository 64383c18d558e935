import type { Request, Response } from 'express';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Whether the request is a browser navigation (wants a page) rather than an API call (wants JSON). */
export function wantsHtml(req: Request): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * A small page for a refused sign-in, shown where the identity provider sent the browser. Plain
 * HTML without scripts or styles, so the API's deny-all security policy applies unchanged.
 */
export function sendSignInFailedPage(res: Response, status: number, message: string): void {
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in failed</title></head>` +
        `<body><main><h1>Sign-in failed</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to the portal</a></p></main></body></html>`,
    );
}
