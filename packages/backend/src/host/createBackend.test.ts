import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenPlugin, brokenProviderPlugin, dependentPlugin, greetingPlugin, optionalUserPlugin, welcomePlugin } from './testPlugins.fixture.js';

describe.each(testDatabaseKinds())('plugin host on %s', (database) => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({
      database,
      // welcome is listed first but depends on greeting, so greeting must start first.
      plugins: [optionalUserPlugin, welcomePlugin, greetingPlugin, brokenPlugin, brokenProviderPlugin, dependentPlugin],
      config: { greeting: { salutation: 'Hi' } },
    });
  });
  afterAll(() => t?.stop());

  it('answers health, readiness (503 while a plugin failed) and metrics', async () => {
    expect(await t.json('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await t.json<{ status: string; plugins: Array<{ id: string; status: string }> }>('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('unhealthy');
    expect(ready.body.plugins.find((p) => p.id === 'broken')?.status).toBe('failed');
    expect(ready.body.plugins.find((p) => p.id === 'greeting')?.status).toBe('running');
    const metrics = await (await t.fetch('/metrics')).text();
    expect(metrics).toContain('atrium_http_request_duration_seconds');
    expect(metrics).toContain('atrium_process_cpu_user_seconds_total');
  });

  it('runs migrations in each plugin schema and starts plugins in dependency order', async () => {
    const created = await t.json('/api/greeting/greetings', { method: 'POST', body: { name: 'Ada' } });
    expect(created).toEqual({ status: 201, body: { message: 'Hi, Ada' } });
    expect((await t.json('/api/greeting/greetings')).body).toEqual({ items: [{ name: 'Ada' }] });
    // welcome's own `greetings` table is separate from greeting's.
    expect((await t.json('/api/welcome/')).body).toEqual({ rows: [{ text: 'Hi, team' }] });
  });

  it('validates bodies and reports errors in the JSON error shape', async () => {
    const bad = await t.json('/api/greeting/greetings', { method: 'POST', body: { name: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: { name: 'InputError', message: expect.stringContaining('body.name') },
      request: { method: 'POST', url: '/api/greeting/greetings' },
      response: { statusCode: 400 },
    });
    const malformed = await t.fetch('/api/greeting/greetings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { name: 'InputError', message: expect.stringContaining('Malformed JSON') } });
    expect((await t.json('/api/greeting/bad')).body).toMatchObject({ error: { name: 'InputError', message: 'bad thing' } });
    const crash = await t.json('/api/greeting/boom');
    expect(crash).toMatchObject({ status: 500, body: { error: { name: 'Error', message: 'Internal server error' }, response: { statusCode: 500 } } });
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await t.json('/api/nothing/here');
    expect(res).toEqual({
      status: 404,
      body: {
        error: { name: 'NotFoundError', message: 'No route for GET /api/nothing/here' },
        request: { method: 'GET', url: '/api/nothing/here' },
        response: { statusCode: 404 },
      },
    });
  });

  it('reports a plugin that failed to start, and the plugins that depend on it, with 503s on their routes', async () => {
    const res = await t.json<{ error: { message: string } }>('/api/broken/anything');
    expect(res.status).toBe(503);
    expect(res.body.error.message).toBe('The broken plugin failed to start: cannot reach the flux capacitor');
    const dep = await t.json<{ error: { message: string } }>('/api/dependent/x');
    expect(dep.status).toBe(503);
    expect(dep.body.error.message).toContain('depends on the broken-provider plugin, which did not start');
  });

  it('hands optional services over when their provider runs, and undefined when it failed', async () => {
    expect((await t.json('/api/optional-user/')).body).toEqual({ greeting: 'Hi, optional', broken: null });
  });

  it("merges every plugin's paths into one OpenAPI document", async () => {
    const { body } = await t.json<{ openapi: string; paths: Record<string, unknown> }>('/api/openapi.json');
    expect(body.openapi).toBe('3.0.3');
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics', '/api/greeting/greetings']));
  });
});
