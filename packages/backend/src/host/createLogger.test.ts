import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { definePlugin } from '@atrium/backend-plugin-api';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigBundle } from '../config/ConfigBundle.js';
import { createBackend, type Backend } from './createBackend.js';
import { createLogger } from './createLogger.js';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => (text += d));
  return { stream, lines: () => text.split('\n').filter(Boolean) };
}

let backend: Backend | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('logs', () => {
  it('carry the service key once per JSON line, also from the host parts (component) and plugins', async () => {
    const out = capture();
    const logger = createLogger('info', { pretty: false, destination: out.stream });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-log-test-'));
    const failing = definePlugin({
      id: 'noisy',
      setup({ events, logger: pluginLogger }) {
        pluginLogger.info('hello from a plugin');
        events.subscribe('demo.boom', () => {
          throw new Error('handler broke');
        });
      },
    });
    backend = await createBackend({
      config: ConfigBundle.fromObject(
        { backend: { listen: { port: 0, host: '127.0.0.1' }, database: { client: 'pglite', connection: ':memory:' }, dataDir } },
        process.cwd(),
      ),
      plugins: [failing],
      logger,
      appDistDir: null,
    });
    await backend.start();
    await backend.events.publish('demo.boom', {});
    await backend.events.drain();
    const lines = out.lines();
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.match(/"service":/g), line).toHaveLength(1);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.find((r) => r['msg'] === 'event handler for demo.boom failed')).toMatchObject({ service: 'atrium', component: 'events' });
    expect(records.find((r) => r['msg'] === 'hello from a plugin')).toMatchObject({ service: 'atrium', plugin: 'noisy' });
  });

  it('are readable lines, not JSON, when pretty', () => {
    const out = capture();
    const logger = createLogger('info', { pretty: true, destination: out.stream });
    logger.child({ plugin: 'catalog' }).warn({ location: 'file:/x' }, 'could not read a location');
    logger.error({ err: new Error('disk full') }, 'write failed');
    const [first, second, ...rest] = out.lines();
    expect(() => JSON.parse(first!)).toThrow();
    expect(first).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: could not read a location \{"plugin":"catalog","location":"file:\/x"\}$/);
    expect(first).not.toContain('service');
    expect(second).toMatch(/ERROR: write failed/);
    expect(rest.join('\n')).toContain('Error: disk full');
  });
});
