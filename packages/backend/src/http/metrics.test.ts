import { startTestBackend, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greetingPlugin } from '../host/testPlugins.fixture.js';

describe('request metrics', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({ plugins: [greetingPlugin] });
  });
  afterAll(() => t?.stop());

  it('label host endpoints as the host, plugin routes by plugin, and unknown paths without new series', async () => {
    for (const path of [
      '/healthz',
      '/readyz',
      '/api/openapi.json',
      '/',
      '/catalog/x',
      '/api/greeting/greetings',
      '/api/no-such-plugin-1/x',
      '/api/no-such-plugin-2',
    ]) {
      await (await t.fetch(path)).text();
    }
    await (await t.fetch('/metrics')).text();
    const text = await (await t.fetch('/metrics')).text();
    const series = text
      .split('\n')
      .filter((l) => l.startsWith('atrium_http_request_duration_seconds_count{'))
      .map((l) => l.slice(l.indexOf('{'), l.indexOf('}') + 1));
    const labelsOf = (endpoint: string) => series.filter((s) => s.includes(`endpoint="${endpoint}"`));
    for (const endpoint of ['healthz', 'readyz', 'metrics', 'openapi', 'app', 'unknown-api']) {
      expect(labelsOf(endpoint).length, endpoint).toBeGreaterThan(0);
      expect(
        labelsOf(endpoint).every((s) => s.includes('plugin=""')),
        endpoint,
      ).toBe(true);
    }
    expect(labelsOf('api')).toEqual(['{plugin="greeting",endpoint="api",method="GET",status="200"}']);
    // No plugin label was made up from a path: only the installed plugin's id appears.
    expect(series.filter((s) => !s.includes('plugin=""')).every((s) => s.includes('plugin="greeting"'))).toBe(true);
    expect(text).not.toContain('openapi.json"');
    expect(text).not.toContain('no-such-plugin');
  });
});
