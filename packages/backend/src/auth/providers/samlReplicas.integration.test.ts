import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import {
  createTestPostgresDatabase,
  startFakeSamlIdp,
  startTestBackend,
  testPostgresUrl,
  waitFor,
  type FakeSamlIdp,
  type TestBackend,
} from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../hostAuth.js';

// Two replicas on one Postgres, each with SAML sign-in: an assertion ID accepted by replica A is
// refused by replica B, because the used IDs are kept in the auth schema (saml_assertions), not in
// a replica's memory. Each replica listens on its own fixed port (its ACS URL is in the assertions).
const PORTS = { a: 17470, b: 17471 } as const;
const SP_ENTITY_ID = 'atrium-replicas-sp';
const ADA = { nameId: 'ada@example.com', email: 'ada@example.com', displayName: 'Ada Lovelace' };
const USERS_YAML = `
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: ada }
spec: { profile: { email: ada@example.com }, memberOf: [] }
`;
const callbackOf = (port: number) => `http://127.0.0.1:${port}/api/auth/saml/handler/frame`;

describe.skipIf(!testPostgresUrl())('SAML sign-in with two replicas on one Postgres', () => {
  let idp: FakeSamlIdp;
  let a: TestBackend;
  let b: TestBackend;
  let dir: string;
  let drop: () => Promise<void>;

  async function start(port: number, postgresUrl: string, replicaId: string): Promise<TestBackend> {
    const backend = await startTestBackend({
      database: 'postgres',
      postgresUrl,
      replicaId,
      plugins: [catalogPlugin],
      configDir: dir,
      config: {
        backend: { baseUrl: `http://127.0.0.1:${port}`, listen: { port, host: '127.0.0.1' }, reading: { fileRoots: [dir] } },
        catalog: { locations: [{ type: 'file', target: './org.yaml' }] },
        // Backstage's flat SAML form (no environment level), as an adopter's file has it.
        auth: {
          providers: {
            saml: {
              entryPoint: idp.ssoUrl,
              issuer: SP_ENTITY_ID,
              cert: idp.cert,
              signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
            },
          },
        },
      },
    });
    await waitFor(async () => (await backend.fetch('/api/catalog/entities/by-name/user/default/ada')).status === 200, {
      timeoutMs: 30_000,
      message: 'ada is in the catalog',
    });
    return backend;
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-saml-replicas-'));
    fs.writeFileSync(path.join(dir, 'org.yaml'), USERS_YAML);
    idp = await startFakeSamlIdp({ users: [ADA] });
    const db = await createTestPostgresDatabase();
    drop = db.drop;
    a = await start(PORTS.a, db.url, 'saml-a');
    b = await start(PORTS.b, db.url, 'saml-b');
  }, 120_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await idp?.stop();
    await drop?.();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Starts a sign-in on a replica, lets the IdP see its AuthnRequest, and POSTs back a signed
   * answer to that request carrying the given assertion ID (as a browser posts the IdP's form).
   */
  async function signInWithAssertion(replica: TestBackend, port: number, assertionId: string): Promise<Response> {
    const started = await replica.fetch('/api/auth/saml/start?returnTo=%2F', { redirect: 'manual' });
    expect(started.status).toBe(302);
    const form = await idp.login(started.headers.get('location')!);
    const request = idp.requests.at(-1)!;
    expect(request.acsUrl).toBe(callbackOf(port));
    const SAMLResponse = idp.buildResponse({ user: ADA, inResponseTo: request.id, audience: SP_ENTITY_ID, acsUrl: request.acsUrl, assertionId });
    return fetch(form.action, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: idp.url, accept: 'application/json' },
      body: new URLSearchParams({ SAMLResponse, RelayState: form.fields.RelayState! }),
    });
  }

  const sessionOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`) && !/Max-Age=0/i.test(c));

  it('an assertion accepted by replica A is refused by replica B (401, no session); a fresh one signs in on B', async () => {
    const onA = await signInWithAssertion(a, PORTS.a, '_replayed-across-replicas');
    expect(onA.status, await onA.clone().text()).toBe(302);
    expect(sessionOf(onA)).toBeTruthy();

    const onB = await signInWithAssertion(b, PORTS.b, '_replayed-across-replicas');
    expect(onB.status).toBe(401);
    expect((await onB.json()).error.message).toMatch(/assertion \(_replayed-across-replicas\) was already used/);
    expect(sessionOf(onB)).toBeFalsy();

    const fresh = await signInWithAssertion(b, PORTS.b, '_fresh-on-b');
    expect(fresh.status, await fresh.clone().text()).toBe(302);
    expect(sessionOf(fresh)).toBeTruthy();

    // The used IDs are rows of the auth schema, seen by both replicas.
    const rows = await (await a.backend.database.forSchema('atrium_auth'))('saml_assertions').select('assertion_id').orderBy('assertion_id');
    expect(rows.map((r: { assertion_id: string }) => r.assertion_id)).toEqual(['_fresh-on-b', '_replayed-across-replicas']);
  });

  it('the same POST replayed to replica B is refused too (401)', async () => {
    const started = await a.fetch('/api/auth/saml/start?returnTo=%2F', { redirect: 'manual' });
    const form = await idp.login(started.headers.get('location')!);
    const post = (port: number) =>
      fetch(callbackOf(port), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: idp.url, accept: 'application/json' },
        body: new URLSearchParams(form.fields),
      });
    expect((await post(PORTS.a)).status).toBe(302);
    const replay = await post(PORTS.b);
    expect(replay.status).toBe(401);
    expect(sessionOf(replay)).toBeFalsy();
  });
});
