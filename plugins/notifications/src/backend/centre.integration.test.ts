import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { AuthenticationError, coreServices, createServiceFactory, type AuditEvent, type Caller, type RequestLike } from '@atrium/backend-plugin-api';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NotificationList, NotificationPreferences, NotificationsService } from '../common/index.js';
import { notificationsServiceRef } from './notificationsService.js';
import { notificationsPlugin } from './plugin.js';
import { startSmtpSink, type SmtpSink } from './testing/smtpSink.js';
import { openSse, type SseClient } from './testing/sseClient.js';

// Who calls: the `x-test-user` header names one of these (alice by default). A name in
// `signedOut` gets 401, as after signing out with the guest off.
const user = (name: string, groups: string[]): Caller => ({
  type: 'user',
  userEntityRef: `user:default/${name}`,
  ownershipEntityRefs: [`user:default/${name}`, ...groups.map((g) => `group:default/${g}`)],
  displayName: name,
});
const callers: Record<string, Caller> = {
  alice: user('alice', ['team-a']),
  carol: user('carol', ['team-a']),
  bob: user('bob', ['team-b']),
  guest: { type: 'guest', userEntityRef: 'user:default/guest', ownershipEntityRefs: ['user:default/guest'], displayName: 'Guest' },
};
const signedOut = new Set<string>();
const testAuth = createServiceFactory(coreServices.auth, () => ({
  async getCaller(req: RequestLike) {
    const name = String(req.headers['x-test-user'] ?? 'alice');
    if (signedOut.has(name) || !callers[name]) throw new AuthenticationError();
    return callers[name];
  },
  serviceCaller: () => callers['alice']!,
}));

const org = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-a }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-b }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: alice }
spec: { profile: { email: alice@example.com }, memberOf: [team-a] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: carol }
spec: { profile: { email: carol@example.com }, memberOf: [team-a] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: bob }
spec: { profile: { email: bob@example.com }, memberOf: [team-b] }
`;

const prefs = (p: Partial<NotificationPreferences>): NotificationPreferences => ({ defaults: { inApp: true, email: 'off', slack: false }, rules: [], ...p });

describe.each(testDatabaseKinds())('notification centre on %s', { timeout: 180_000 }, (database) => {
  let dir: string;
  let sink: SmtpSink;
  let slack: http.Server;
  let slackPort: number;
  const slackPosts: Array<{ path: string; body: { text: string } }> = [];
  const audited: AuditEvent[] = [];
  // Replica A takes writes; B (a second replica on the same Postgres, or A again on PGlite) serves streams.
  let a: TestBackend;
  let b: TestBackend;
  const services = (t: TestBackend) => t.backend.service(notificationsServiceRef) as NotificationsService;
  const as = (who: string) => ({ headers: { 'x-test-user': who } });
  const api = <T = unknown>(t: TestBackend, who: string, p: string, init: Omit<RequestInit, 'body' | 'headers'> & { body?: unknown } = {}) =>
    t.json<T>(`/api/notifications${p}`, { ...init, ...as(who) });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-notifications-'));
    fs.writeFileSync(path.join(dir, 'org.yaml'), org);
    sink = await startSmtpSink();
    slack = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        slackPosts.push({ path: req.url ?? '', body: JSON.parse(body) as { text: string } });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
    slackPort = (slack.address() as { port: number }).port;
    const config = {
      catalog: { processingPollMs: 100, readers: { fileRoots: [dir] }, locations: [{ type: 'file', target: 'org.yaml' }] },
      notifications: {
        email: { from: 'Atrium <atrium@example.com>', smtp: { host: '127.0.0.1', port: sink.port } },
        // The Slack receiver of this test is on 127.0.0.1.
        slack: { allowPrivateNetworks: true },
        // Frequent heartbeats (and sign-out checks); no periodic recount, so live counts must come from events.
        stream: { heartbeatSeconds: 0.3, resyncSeconds: 3600 },
      },
    };
    const audit = createServiceFactory(coreServices.audit, () => ({ record: async (e: AuditEvent) => void audited.push(e) }));
    a = await startTestBackend({
      database,
      plugins: [catalogPlugin, notificationsPlugin],
      services: [testAuth, audit],
      configDir: dir,
      config,
      replicaId: 'replica-a',
    });
    b =
      database === 'postgres'
        ? await startTestBackend({
            database,
            postgresUrl: a.postgresUrl!,
            plugins: [catalogPlugin, notificationsPlugin],
            services: [testAuth, audit],
            configDir: dir,
            config,
            replicaId: 'replica-b',
          })
        : a;
    // Group members come from the catalog's relations: wait until team-a lists alice and carol.
    await waitFor(
      async () => {
        const r = await a.json<{ relations?: Array<{ type: string; targetRef: string }> }>('/api/catalog/entities/by-name/group/default/team-a', as('alice'));
        const members = (r.body?.relations ?? []).filter((x) => x.type === 'hasMember').map((x) => x.targetRef);
        return members.includes('user:default/alice') && members.includes('user:default/carol');
      },
      { timeoutMs: 60_000, message: 'team-a has its members in the catalog' },
    );
  });
  afterAll(async () => {
    if (b && b !== a) await b.stop();
    await a?.stop();
    await sink?.close();
    slack?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    signedOut.clear();
    for (const who of ['alice', 'bob', 'carol', 'guest']) {
      await services(a).setPreferences(callers[who]!.userEntityRef, prefs({}));
      await api(a, who, '/read-all', { method: 'POST' });
    }
  });

  it('read state is per user: a broadcast or group notification alice reads stays unread for carol', async () => {
    const svc = services(a);
    const [broadcast] = (await svc.send({ recipients: 'broadcast', source: 'producer', topic: 'producer.news', title: 'Release day' })).notifications;
    const [team] = (await svc.send({ recipients: ['group:default/team-a'], source: 'producer', topic: 'producer.t', title: 'Team A only' })).notifications;
    expect((await api<{ count: number }>(a, 'alice', '/unread-count')).body.count).toBe(2);
    expect((await api(a, 'alice', `/${broadcast!.id}/read`, { method: 'POST' })).status).toBe(204);
    expect((await api(a, 'alice', `/${team!.id}/read`, { method: 'POST' })).status).toBe(204);
    expect((await api<{ count: number }>(a, 'alice', '/unread-count')).body.count).toBe(0);
    // Carol (team-a) and bob still have theirs unread.
    const carol = (await api<NotificationList>(a, 'carol', '/?unread=true')).body;
    expect(carol.items.map((n) => n.title).sort()).toEqual(['Release day', 'Team A only']);
    expect((await api<NotificationList>(a, 'bob', '/?unread=true')).body.items.map((n) => n.title)).toEqual(['Release day']);
    // Alice's list says when she read them.
    const alice = (await api<NotificationList>(a, 'alice', '/')).body.items.filter((n) => n.id === broadcast!.id || n.id === team!.id);
    expect(alice.every((n) => n.readAt)).toBe(true);
    // A withdraw of unread ones keeps the one alice read (it is in her history).
    await svc.send({ recipients: ['group:default/team-a'], source: 'producer', topic: 'producer.t', title: 'Scoped', scope: 'sc:1' });
    await svc.send({ recipients: ['group:default/team-a'], source: 'producer', topic: 'producer.t', title: 'Scoped 2', scope: 'sc:2' });
    const scoped = (await api<NotificationList>(a, 'alice', '/?unread=true')).body.items.find((n) => n.scope === 'sc:1')!;
    await api(a, 'alice', `/${scoped.id}/read`, { method: 'POST' });
    expect(await svc.withdraw({ source: 'producer', scopePrefix: 'sc:' })).toBe(1);
    expect((await api<NotificationList>(a, 'carol', '/')).body.items.map((n) => n.scope)).toContain('sc:1');
  });

  it('preferences: defaults until saved, validated, audited; in-app off hides a source (or one topic) from list and bell', async () => {
    expect((await api<NotificationPreferences>(a, 'bob', '/preferences')).body).toEqual(prefs({}));
    await services(a).send({ recipients: ['user:default/bob'], source: 'noisy', topic: 'noisy.a', title: 'Noise A' });
    await services(a).send({ recipients: ['user:default/bob'], source: 'noisy', topic: 'noisy.b', title: 'Noise B' });
    await services(a).send({ recipients: ['user:default/bob'], source: 'producer', topic: 'producer.t', title: 'Signal' });
    expect((await api<{ count: number }>(a, 'bob', '/unread-count')).body.count).toBe(3);
    const saved = await api<NotificationPreferences>(a, 'bob', '/preferences', {
      method: 'PUT',
      body: prefs({
        rules: [
          { source: 'noisy', inApp: false, email: 'off', slack: false },
          { source: 'noisy', topic: 'noisy.b', inApp: true, email: 'off', slack: false },
        ],
      }),
    });
    expect(saved.status).toBe(200);
    expect(audited.at(-1)).toMatchObject({
      action: 'notifications.preferences.update',
      target: 'user:default/bob',
      actor: { userEntityRef: 'user:default/bob' },
    });
    // The topic rule beats the source rule: noisy.b stays, noisy.a is hidden.
    expect((await api<NotificationList>(a, 'bob', '/?unread=true')).body.items.map((n) => n.title).sort()).toEqual(['Noise B', 'Signal']);
    expect((await api<{ count: number }>(a, 'bob', '/unread-count')).body.count).toBe(2);
    expect((await api<NotificationPreferences>(a, 'bob', '/preferences')).body.rules).toHaveLength(2);
    // Alice's view is her own.
    expect((await api<NotificationPreferences>(a, 'alice', '/preferences')).body.rules).toEqual([]);

    type Err = { error: { details: { errors: Array<{ path: string }> } } };
    const bad = await api<Err>(a, 'bob', '/preferences', {
      method: 'PUT',
      body: { defaults: { inApp: true, email: 'sometimes', slack: false }, rules: [{ source: 'Bad Source', inApp: true, email: 'off', slack: false }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors.map((e) => e.path).sort()).toEqual(['body.defaults.email', 'body.rules.0.source']);
    expect((await api<NotificationPreferences>(a, 'bob', '/preferences')).body.rules).toHaveLength(2);
    // The guest is shared by every visitor: no Slack URL for it.
    const guest = await api<{ error: { message: string } }>(a, 'guest', '/preferences', {
      method: 'PUT',
      body: prefs({ slackWebhookUrl: `http://127.0.0.1:${slackPort}/x` }),
    });
    expect(guest.status).toBe(403);
    expect(guest.body.error.message).toMatch(/Sign in/);
  });

  it('email: a group notification reaches the members who chose email, at their catalog address; others get none', async () => {
    await api(a, 'carol', '/preferences', { method: 'PUT', body: prefs({ rules: [{ source: 'producer', inApp: true, email: 'immediate', slack: false }] }) });
    const before = sink.received.length;
    await services(a).send({
      recipients: ['group:default/team-a'],
      source: 'producer',
      topic: 'producer.t',
      title: 'Deploy <svc> done',
      description: 'All green',
      link: '/catalog/default/component/svc',
    });
    // Another source carol did not ask email for: no email.
    await services(a).send({ recipients: ['group:default/team-a'], source: 'other', topic: 'other.t', title: 'Not emailed' });
    const mail = await waitFor(() => sink.received.slice(before).find((m) => m.parsed.subject === '[Atrium] Deploy <svc> done') ?? false, {
      message: 'the email reached the SMTP server',
    });
    expect(mail.envelopeTo).toEqual(['carol@example.com']);
    expect(mail.parsed.text).toContain('All green');
    expect(mail.parsed.text).toMatch(/Open: http:\/\/localhost:\d+\/catalog\/default\/component\/svc/);
    // The title is escaped in the HTML part.
    expect(mail.parsed.html).toContain('Deploy &lt;svc&gt; done');
    await waitFor(async () => (await api<{ count: number }>(a, 'carol', '/unread-count')).body.count === 2);
    expect(sink.received.slice(before).map((m) => m.parsed.subject)).toEqual(['[Atrium] Deploy <svc> done']);
  });

  it("Slack: the user's incoming webhook receives what they chose", async () => {
    await api(a, 'bob', '/preferences', {
      method: 'PUT',
      body: prefs({ defaults: { inApp: true, email: 'off', slack: true }, slackWebhookUrl: `http://127.0.0.1:${slackPort}/bob` }),
    });
    await services(a).send({
      recipients: ['group:default/team-b'],
      source: 'producer',
      topic: 'producer.t',
      title: 'Build <failed> & retried',
      link: 'https://ci.example.com/1',
    });
    const post = await waitFor(() => slackPosts.find((p) => p.path === '/bob') ?? false, { message: 'the Slack webhook got the notification' });
    expect(post.body.text).toBe('*Build &lt;failed&gt; &amp; retried*\n<https://ci.example.com/1|Open in Atrium>');
  });

  it('digest: low severity waits for the daily digest, the rest is sent at once; two replicas running it send each digest once', async () => {
    await api(a, 'carol', '/preferences', {
      method: 'PUT',
      body: prefs({ rules: [{ source: 'producer', topic: 'producer.digest', inApp: true, email: 'digest', slack: false }] }),
    });
    const before = sink.received.length;
    const send = (title: string, severity: 'low' | 'normal') =>
      services(a).send({ recipients: ['user:default/carol'], source: 'producer', topic: 'producer.digest', title, severity });
    await send('Low one', 'low');
    await send('Low two', 'low');
    await send('Normal one', 'normal');
    await waitFor(() => sink.received.slice(before).some((m) => m.parsed.subject === '[Atrium] Normal one'), { message: 'the normal one was emailed at once' });
    const [x, y] = await Promise.all([services(a).sendDigests(), services(b).sendDigests()]);
    expect(x + y).toBe(1);
    const digests = sink.received.slice(before).filter((m) => m.parsed.subject?.startsWith('[Atrium] Your daily digest'));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.envelopeTo).toEqual(['carol@example.com']);
    expect(digests[0]!.parsed.subject).toBe('[Atrium] Your daily digest: 2 notifications');
    expect(digests[0]!.parsed.text).toContain('- Low one');
    expect(digests[0]!.parsed.text).toContain('- Low two');
    expect(digests[0]!.parsed.text).not.toContain('Normal one');
    // Nothing is sent twice.
    expect(await services(b).sendDigests()).toBe(0);
    expect(await services(a).sendDigests()).toBe(0);
  });

  it('the stream: the count at once, a change on one replica reaches a stream on another, heartbeats, and it ends when the caller signs out', async () => {
    let stream: SseClient | undefined;
    try {
      stream = await openSse(`${b.url}/api/notifications/stream`, { 'x-test-user': 'bob' });
      expect(stream.status).toBe(200);
      const s = stream;
      const counts = () => s.messages.filter((m) => m.event === 'count').map((m) => (JSON.parse(m.data!) as { count: number }).count);
      await waitFor(() => expect(counts()).toEqual([0]));
      // Sent through replica A; the stream is on B (the same replica on PGlite).
      const [n] = (await services(a).send({ recipients: ['group:default/team-b'], source: 'producer', topic: 'producer.t', title: 'Live' })).notifications;
      await waitFor(() => expect(counts()).toEqual([0, 1]));
      // Someone else's notification does not move bob's count; alice's read does not either.
      await services(a).send({ recipients: ['user:default/alice'], source: 'producer', topic: 'producer.t', title: 'Not for bob' });
      expect((await api(a, 'bob', `/${n!.id}/read`, { method: 'POST' })).status).toBe(204);
      await waitFor(() => expect(counts()).toEqual([0, 1, 0]));
      await waitFor(() => s.messages.filter((m) => m.comment === 'keep-alive').length >= 2, { message: 'heartbeats' });
      signedOut.add('bob');
      await waitFor(() => s.ended(), { message: 'the stream ended after sign-out' });
      expect(s.messages.at(-1)).toMatchObject({ event: 'end', data: JSON.stringify({ reason: 'unauthenticated' }) });
      expect(counts()).toEqual([0, 1, 0]);
      // Signed out: a new stream is a 401.
      const again = await openSse(`${b.url}/api/notifications/stream`, { 'x-test-user': 'bob' });
      expect(again.status).toBe(401);
    } finally {
      stream?.close();
    }
  });

  it('POST / sends over HTTP (validated, audited); bad input is a 400 and nothing is stored', async () => {
    const sent = await api<{ notifications: Array<{ id: string; recipient: string; source: string }> }>(a, 'alice', '/', {
      method: 'POST',
      body: { recipients: ['user:bob'], topic: 'api.t', title: 'From a script' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body.notifications).toEqual([expect.objectContaining({ recipient: 'user:default/bob', source: 'api' })]);
    expect(audited.at(-1)).toMatchObject({ action: 'notifications.send', meta: { source: 'api', topic: 'api.t', recipients: 1 } });
    const total = (await api<NotificationList>(a, 'bob', '/')).body.totalCount;
    for (const body of [
      { recipients: [], topic: 't', title: 'x' },
      { recipients: ['component:default/x'], topic: 't', title: 'x' },
      { recipients: 'everyone', topic: 't', title: 'x' },
      { recipients: ['user:bob'], topic: 't', title: 'x', colour: 'red' },
    ]) {
      expect((await api(a, 'alice', '/', { method: 'POST', body })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api<NotificationList>(a, 'bob', '/')).body.totalCount).toBe(total);
  });
});
