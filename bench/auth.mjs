#!/usr/bin/env node
// What authentication adds to an API request (issue 14's target: < 0.5 ms p50).
// One backend (catalog only), one signed-in session (through the local OpenID Provider) and one
// personal API token made with it. The same cheap request (an entity by name) is then sent
// sequentially as the guest (no credential: the host still resolves the guest caller), with the
// session cookie and with the bearer token, interleaved in rounds so machine drift hits all three
// alike. The figure is the difference of the p50s (cookie − guest, token − guest): one indexed
// session or token lookup per request, the user's groups cached per replica (docs/authentication.md).
//
//   node --conditions=source --import tsx bench/auth.mjs [--n 3000] [--db pglite|postgres]
//
// --db postgres needs ATRIUM_TEST_POSTGRES_URL (a fresh database is created on that server).
import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { cookieOf, startOidcBackend } from './lib/oidcBackend.mjs';

const { values: opt } = parseArgs({ options: { n: { type: 'string', default: '3000' }, db: { type: 'string', default: 'pglite' } } });
const N = Number(opt.n);
const { backend: b, idp, stop } = await startOidcBackend({ db: opt.db, backendPort: 17417, providerPort: 17418 });

const pct = (values, p) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

try {
  const target = new URL('/api/catalog/entities/by-name/user/default/jdoe', b.url);
  const start = await fetch(new URL('/api/auth/oidc/start?returnTo=/catalog', b.url), { redirect: 'manual' });
  const back = await idp.login(start.headers.get('location'), 'jdoe');
  const frame = await fetch(back, { redirect: 'manual', headers: { cookie: cookieOf(start) } });
  const session = cookieOf(frame);
  if (!session) throw new Error(`the sign-in set no session cookie (callback answered ${frame.status})`);
  const created = await fetch(new URL('/api/auth/tokens', b.url), {
    method: 'POST',
    headers: { cookie: session, 'content-type': 'application/json', origin: b.url.replace(/\/$/, '') },
    body: JSON.stringify({ name: 'bench', scopes: ['read'], expiresInDays: 1 }),
  });
  if (created.status !== 201) throw new Error(`token creation answered ${created.status}: ${await created.text()}`);
  const { secret } = await created.json();

  const variants = { guest: {}, session: { cookie: session }, token: { authorization: `Bearer ${secret}` } };
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const callerOf = {};
  for (const [name, headers] of Object.entries(variants)) {
    // Warm-up, and a check that each variant really is who it claims to be.
    for (let i = 0; i < 200; i++) await (await fetch(target, { headers })).arrayBuffer();
    const who = await fetch(new URL('/api/auth/me', b.url), { headers });
    const me = who.ok ? await who.json() : undefined;
    callerOf[name] = me ? `${me.userEntityRef ?? me.type} via ${me.via ?? 'guest'}` : `HTTP ${who.status}`;
  }
  const ROUND = 100;
  for (let done = 0; done < N; done += ROUND) {
    for (const [name, headers] of Object.entries(variants)) {
      for (let i = 0; i < ROUND; i++) {
        const t0 = performance.now();
        const res = await fetch(target, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}`);
        samples[name].push(performance.now() - t0);
      }
    }
  }
  console.log(
    `auth bench: ${N} sequential requests per variant, ${opt.db}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const name of Object.keys(variants)) {
    console.log(`${name.padEnd(8)} p50 ${pct(samples[name], 50).toFixed(3)} ms  p95 ${pct(samples[name], 95).toFixed(3)} ms  (caller: ${callerOf[name]})`);
  }
  const base = pct(samples.guest, 50);
  console.log(
    `added by a session cookie: ${(pct(samples.session, 50) - base).toFixed(3)} ms p50; by a bearer token: ${(pct(samples.token, 50) - base).toFixed(3)} ms p50 (target < 0.5 ms)`,
  );
} finally {
  await stop();
}
