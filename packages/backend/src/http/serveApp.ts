import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';

/**
 * Serves the built React app from the same port as the API: hashed assets cached for a year,
 * index.html for every other non-API path so client-side routes work on reload.
 */
export function serveApp(app: Express, distDir: string | undefined): void {
  const index = distDir ? path.join(distDir, 'index.html') : undefined;
  if (!distDir || !index || !fs.existsSync(index)) {
    app.get('/{*splat}', (_req, res) => {
      res
        .status(503)
        .type('html')
        .send(
          '<!doctype html><title>Atrium</title><p>The Atrium frontend is not built. Run <code>npm run build</code>, or use <code>npm start</code>, which builds it.</p>',
        );
    });
    return;
  }
  app.use('/assets', express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  app.use(express.static(distDir, { index: false, maxAge: '1h' }));
  app.get('/{*splat}', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
