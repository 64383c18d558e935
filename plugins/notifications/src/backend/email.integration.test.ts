import { coreServices, createServiceFactory, definePlugin, type Caller, type HttpError } from '@atrium/backend-plugin-api';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationsService } from '../common/index.js';
import { notificationsServiceRef } from './notificationsService.js';
import { notificationsPlugin } from './plugin.js';
import { startSmtpSink, type SmtpSink } from './testing/smtpSink.js';

/** A producer (as the automations plugin's "email" action): it takes the service through deps. */
function producer(onService: (s: NotificationsService) => void) {
  return definePlugin({
    id: 'producer',
    deps: { notifications: notificationsServiceRef },
    setup({ deps }) {
      onService(deps.notifications);
    },
  });
}

const emailConfig = (port: number, extra: Record<string, unknown> = {}) => ({
  notifications: { email: { from: 'Atrium <atrium@example.com>', smtp: { host: '127.0.0.1', port, timeoutMs: 5000, ...extra } } },
});

describe.each(testDatabaseKinds())('sendEmail on %s', { timeout: 180_000 }, (database) => {
  let sink: SmtpSink;
  let authSink: SmtpSink;
  const started: TestBackend[] = [];
  const start = async (config: Record<string, unknown>) => (await startBackend(config)).service;
  const startBackend = async (config: Record<string, unknown>) => {
    let service!: NotificationsService;
    // A signed-in user (the guest may not set a Slack URL at all).
    const alice: Caller = { type: 'user', userEntityRef: 'user:default/alice', ownershipEntityRefs: ['user:default/alice'], displayName: 'Alice' };
    const auth = createServiceFactory(coreServices.auth, () => ({ getCaller: async () => alice, serviceCaller: () => alice }));
    const backend = await startTestBackend({ database, plugins: [producer((s) => (service = s)), notificationsPlugin], services: [auth], config });
    started.push(backend);
    return { service, backend };
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    authSink = await startSmtpSink({ auth: { user: 'atrium', pass: 's3cret' } });
  });
  afterAll(async () => {
    for (const b of started) await b.stop();
    await sink?.close();
    await authSink?.close();
  });

  it('delivers through the configured SMTP server: the server receives sender, recipients, subject, text and html', async () => {
    const service = await start(emailConfig(sink.port));
    expect(service.emailEnabled).toBe(true);
    const before = sink.received.length;
    const result = await service.sendEmail({
      to: ['alice@example.com', 'bob@example.org', 'alice@example.com'],
      subject: 'Deploy finished: svc — ünïcode',
      text: 'It worked.\nSecond line.',
      html: '<p>It <b>worked</b>.</p>',
    });
    expect(result.accepted.sort()).toEqual(['alice@example.com', 'bob@example.org']);
    expect(result.rejected).toEqual([]);
    expect(sink.received.length).toBe(before + 1);
    const mail = sink.received.at(-1)!;
    expect(mail.envelopeFrom).toBe('atrium@example.com');
    expect(mail.envelopeTo.sort()).toEqual(['alice@example.com', 'bob@example.org']);
    expect(mail.parsed.subject).toBe('Deploy finished: svc — ünïcode');
    expect(mail.parsed.from?.value[0]).toMatchObject({ address: 'atrium@example.com', name: 'Atrium' });
    expect(mail.parsed.text?.trim()).toBe('It worked.\nSecond line.');
    expect(mail.parsed.html).toContain('<b>worked</b>');
    expect(mail.parsed.messageId).toBe(result.messageId);
  });

  it('logs in with smtp.auth; a wrong password is a 503 naming the server, nothing delivered', async () => {
    const good = await start(emailConfig(authSink.port, { auth: { user: 'atrium', pass: 's3cret' } }));
    await good.sendEmail({ to: ['carol@example.com'], subject: 'With auth', text: 'hello' });
    expect(authSink.received.map((m) => [m.user, m.parsed.subject])).toEqual([['atrium', 'With auth']]);
    const bad = await start(emailConfig(authSink.port, { auth: { user: 'atrium', pass: 'wrong' } }));
    const err = (await bad.sendEmail({ to: ['carol@example.com'], subject: 'Wrong auth', text: 'hello' }).catch((e: unknown) => e)) as HttpError;
    expect(err.statusCode).toBe(503);
    expect(err.message).toMatch(/SMTP server 127\.0\.0\.1:\d+ did not take the email/);
    expect(authSink.received).toHaveLength(1);
  });

  it('without notifications.email: sendEmail rejects with a 503 that says how to turn it on', async () => {
    const service = await start({});
    expect(service.emailEnabled).toBe(false);
    const err = (await service.sendEmail({ to: ['a@example.com'], subject: 's', text: 't' }).catch((e: unknown) => e)) as HttpError;
    expect(err.name).toBe('ServiceUnavailableError');
    expect(err.statusCode).toBe(503);
    expect(err.message).toMatch(/email is not configured.*notifications\.email\.smtp/);
  });

  it('bad input is a 400 before anything is sent', async () => {
    const service = await start(emailConfig(sink.port));
    const before = sink.received.length;
    const cases: Array<[Parameters<NotificationsService['sendEmail']>[0], RegExp]> = [
      [{ to: [], subject: 's', text: 't' }, /at least one address/],
      [{ to: ['not-an-address'], subject: 's', text: 't' }, /"not-an-address" is not an email address/],
      [{ to: ['a@example.com>, evil@example.com'], subject: 's', text: 't' }, /is not an email address/],
      [{ to: ['a@example.com\r\nBcc: x@example.com'], subject: 's', text: 't' }, /is not an email address/],
      [{ to: ['a@example.com'], subject: 'two\r\nBcc: x@example.com', text: 't' }, /one line/],
      [{ to: ['a@example.com'], subject: '', text: 't' }, /needs a subject/],
      [{ to: ['a@example.com'], subject: 's', text: '' }, /needs a text body/],
      [{ to: Array.from({ length: 101 }, (_, i) => `u${i}@example.com`), subject: 's', text: 't' }, /at most 100/],
    ];
    for (const [req, message] of cases) {
      const err = (await service.sendEmail(req).catch((e: unknown) => e)) as HttpError;
      expect(err.statusCode, JSON.stringify(req).slice(0, 80)).toBe(400);
      expect(err.message).toMatch(message);
    }
    expect(sink.received.length).toBe(before);
  });

  it('bad email config stops the start with the key named', async () => {
    await expect(start({ notifications: { email: { from: 'not an address', smtp: { host: '127.0.0.1', port: sink.port } } } })).rejects.toThrow(
      /notifications\.email\.from/,
    );
    await expect(start({ notifications: { email: { from: 'a@example.com', smtp: { host: '127.0.0.1', port: 'twenty-five' } } } })).rejects.toThrow(
      /notifications.*port/,
    );
    await expect(start({ notifications: { email: { smtp: { host: '127.0.0.1' } } } })).rejects.toThrow(/from/);
  });

  it('a Slack webhook URL goes through the shared outbound guard: private, loopback, reserved and plain-http URLs are refused (400), nothing saved', async () => {
    const { backend, service } = await startBackend({});
    const put = (slackWebhookUrl: string) =>
      backend.json<{ error: { message: string } }>('/api/notifications/preferences', {
        method: 'PUT',
        body: { defaults: { inApp: true, email: 'off', slack: true }, rules: [], slackWebhookUrl },
      });
    for (const [url, reason] of [
      ['https://127.0.0.1/hook', /loopback, private or link-local.*notifications\.slack\.allowPrivateNetworks/],
      ['https://10.1.2.3/hook', /loopback, private or link-local/],
      ['https://[::ffff:169.254.169.254]/latest', /loopback, private or link-local/],
      ['https://2130706433/hook', /loopback, private or link-local/],
      ['https://metadata.google.internal/x', /reserved name/],
      ['http://hooks.slack.com/services/x', /transport is not allowed/],
      ['https://user:pw@hooks.slack.com/services/x', /user name or password/],
      ['not a url', /not a URL/],
    ] as const) {
      const r = await put(url);
      expect(r.status, url).toBe(400);
      expect(r.body.error.message, url).toMatch(reason);
    }
    expect((await service.getPreferences('user:default/alice')).slackWebhookUrl).toBeUndefined();
    // The service checks too, for producers that save preferences in process.
    await expect(
      service.setPreferences('user:default/alice', {
        defaults: { inApp: true, email: 'off', slack: true },
        rules: [],
        slackWebhookUrl: 'https://192.168.1.1/x',
      }),
    ).rejects.toThrow(/Slack webhook URL refused/);
  });
});
