import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** The x-atrium-signature header matched an HMAC-SHA256 of `<timestamp>.<body>` with the secret. */
  signatureValid: boolean;
}

/**
 * A local webhook receiver for tests: `/ok` answers 200, `/flaky/<key>` answers 500 to the first
 * two requests with one idempotency key and 200 after, `/hang` never answers, `/big` answers 10 MB,
 * `/hold` holds every request until `release()` (then 200).
 */
export async function startReceiver(secret: string) {
  const received: Received[] = [];
  const flaky = new Map<string, number>();
  const held: http.ServerResponse[] = [];
  let holding = true;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-atrium-timestamp'] ?? '');
      const signature = String(req.headers['x-atrium-signature'] ?? '');
      const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`;
      const signatureValid = signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // keep the text
      }
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body, signatureValid });
      if (path.startsWith('/flaky')) {
        const key = String(req.headers['idempotency-key']);
        const n = (flaky.get(key) ?? 0) + 1;
        flaky.set(key, n);
        res.statusCode = n <= 2 ? 500 : 200;
        res.end(n <= 2 ? 'try again' : 'ok');
      } else if (path.startsWith('/hang')) {
        // never answers
      } else if (path.startsWith('/big')) {
        res.setHeader('content-type', 'text/plain');
        const chunk = Buffer.alloc(1024 * 1024, 'x');
        let sent = 0;
        const write = () => {
          while (sent < 10) {
            sent++;
            if (!res.write(chunk)) return void res.once('drain', write);
          }
          res.end();
        };
        write();
      } else if (path.startsWith('/hold')) {
        if (holding) held.push(res);
        else res.end('ok');
      } else {
        res.end('ok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    held,
    release() {
      holding = false;
      for (const res of held.splice(0)) res.end('ok');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
