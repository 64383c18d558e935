#!/usr/bin/env node
// Sign-in round trip against the local OpenID Provider (issue 14's target: < 300 ms server time).
// "Server time" is what Atrium spends answering the two requests of a sign-in: GET
// /api/auth/oidc/start (discovery is cached after the first; a transaction row written) and the
// callback GET /api/auth/oidc/handler/frame (transaction taken, code exchanged at the provider's
// token endpoint, ID token checked, userinfo read, the catalog User resolved, session written).
// The person's time on the provider's login form is not part of it.
//
//   node --conditions=source --import tsx bench/signin.mjs [--n 25] [--db pglite|postgres]
//
// --db postgres needs ATRIUM_TEST_POSTGRES_URL (a fresh database is created on that server).
// The backend and the provider run in this process (ports 17415 and 17416).
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { cookieOf, startOidcBackend } from './lib/oidcBackend.mjs';

// At most 28 sign-ins a run: start and callback together allow 60 requests a minute per address.
const { values: opt } = parseArgs({ options: { n: { type: 'string', default: '25' }, db: { type: 'string', default: 'pglite' } } });
if (Number(opt.n) > 28) {
  console.error('signin: --n above 28 would hit the sign-in rate limit (60 requests a minute per address)');
  process.exit(2);
}
const N = Number(opt.n);
const { backend: b, idp, stop } = await startOidcBackend({ db: opt.db, backendPort: 17415, providerPort: 17416 });

async function timed(url, headers) {
  const t0 = performance.now();
  const res = await fetch(url, { redirect: 'manual', headers });
  await res.arrayBuffer();
  return { res, ms: performance.now() - t0 };
}

try {
  const samples = [];
  for (let i = 0; i < N + 1; i++) {
    const start = await timed(new URL('/api/auth/oidc/start?returnTo=/catalog', b.url));
    if (start.res.status !== 302) throw new Error(`start answered ${start.res.status}`);
    const back = await idp.login(start.res.headers.get('location'), 'jdoe');
    const frame = await timed(back, { cookie: cookieOf(start.res) });
    if (frame.res.status !== 302) throw new Error(`callback answered ${frame.res.status}`);
    // The first sign-in reads the provider's metadata: reported apart.
    if (i === 0) console.log(`first sign-in (with discovery): ${(start.ms + frame.ms).toFixed(1)} ms`);
    else samples.push({ start: start.ms, frame: frame.ms, total: start.ms + frame.ms });
  }
  const pct = (values, p) => {
    const sorted = [...values].sort((x, y) => x - y);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  };
  for (const key of ['start', 'frame', 'total']) {
    const values = samples.map((s) => s[key]);
    console.log(
      `${key.padEnd(6)} p50 ${pct(values, 50).toFixed(1)} ms  p95 ${pct(values, 95).toFixed(1)} ms  max ${Math.max(...values).toFixed(1)} ms  (n=${values.length}, ${opt.db})`,
    );
  }
} finally {
  await stop();
}
