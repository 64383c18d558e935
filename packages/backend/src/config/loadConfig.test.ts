import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StartupError } from '../host/StartupError.js';
import { loadConfig } from './loadConfig.js';
import { validateConfig } from './validateConfig.js';
import { backendConfigSchema } from './backendConfigSchema.js';

let dir: string;
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-config-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('overlays local and --config files in order; later files win and arrays are replaced', () => {
    write(
      'app-config.yaml',
      'backend:\n  listen:\n    port: 7007\n  baseUrl: http://a\ncatalog:\n  locations:\n    - { type: file, target: a.yaml }\n    - { type: file, target: b.yaml }\n',
    );
    write('app-config.local.yaml', 'backend:\n  listen:\n    port: 8000\n');
    const extra = write('extra/extra.yaml', 'catalog:\n  locations:\n    - { type: file, target: c.yaml }\n');
    const config = loadConfig({ rootDir: dir, configFiles: [extra], env: {} });
    expect(config.get('backend.listen.port')).toBe(8000);
    expect(config.get('backend.baseUrl')).toBe('http://a');
    expect(config.get('catalog.locations')).toEqual([{ type: 'file', target: 'c.yaml' }]);
    expect(config.originOf('backend.listen.port')).toBe(path.join(dir, 'app-config.local.yaml'));
    expect(config.baseDirOf('catalog.locations[0].target')).toBe(path.join(dir, 'extra'));
    expect(config.baseDirOf('backend.baseUrl')).toBe(dir);
  });

  it('resolves --config paths against the working directory', () => {
    write('app-config.yaml', 'a: 1\n');
    write('sub/more.yaml', 'a: 2\n');
    const config = loadConfig({ rootDir: dir, configFiles: ['sub/more.yaml'], cwd: dir, env: {} });
    expect(config.get('a')).toBe(2);
  });

  it('substitutes environment variables, with defaults and an escape', () => {
    write('app-config.yaml', 'db:\n  host: ${DB_HOST}\n  port: ${DB_PORT:-5432}\n  url: pg://${DB_HOST}:${DB_PORT:-1}/x\n  literal: $${NOT_A_VAR}\n');
    const config = loadConfig({ rootDir: dir, env: { DB_HOST: 'db.internal' } });
    expect(config.get('db')).toEqual({ host: 'db.internal', port: '5432', url: 'pg://db.internal:1/x', literal: '${NOT_A_VAR}' });
  });

  it('names the file, key and variable when a variable is unset', () => {
    const file = write('app-config.yaml', 'backend:\n  database:\n    connection: ${PG_URL}\n');
    expect(() => loadConfig({ rootDir: dir, env: {} })).toThrow(StartupError);
    expect(() => loadConfig({ rootDir: dir, env: {} })).toThrow(`Config file ${file}, key backend.database.connection: environment variable PG_URL is not set`);
  });

  it('reports invalid YAML with file, line and column', () => {
    const file = write('app-config.yaml', 'backend:\n  listen:\n    port: [1, 2\n');
    expect(() => loadConfig({ rootDir: dir, env: {} })).toThrow(new RegExp(`Invalid YAML in config file ${file}:\\d+:\\d+`));
  });

  it('rejects a config file that is not a mapping, and a missing --config file', () => {
    write('app-config.yaml', '- a\n- b\n');
    expect(() => loadConfig({ rootDir: dir, env: {} })).toThrow(/must contain a YAML mapping/);
    fs.writeFileSync(path.join(dir, 'app-config.yaml'), 'a: 1\n');
    expect(() => loadConfig({ rootDir: dir, configFiles: ['nope.yaml'], cwd: dir, env: {} })).toThrow(/nope.yaml \(given with --config\) does not exist/);
  });

  it('refuses YAML tags that would construct code or objects', () => {
    write('app-config.yaml', 'a: !!js/function "function () { return 1 }"\n');
    expect(() => loadConfig({ rootDir: dir, env: {} })).toThrow(/Invalid YAML/);
  });
});

describe('validateConfig', () => {
  it('names the file and the key of each problem', () => {
    const file = write('app-config.yaml', 'backend:\n  listen:\n    port: seventy\n  database:\n    client: sqlite\n');
    const config = loadConfig({ rootDir: dir, env: {} });
    let message = '';
    try {
      validateConfig(config, [{ key: '', schema: backendConfigSchema, whole: true }]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`${file}: backend.listen.port`);
    expect(message).toContain(`${file}: backend.database.client must be one of ["pglite","pg"]`);
  });

  it('stops on an unknown key under backend and app, or an unknown section, naming file and key with a suggestion', () => {
    const file = write('app-config.yaml', 'app:\n  titel: Portal\nbackend:\n  lisen:\n    port: 7007\n  baseURL: http://x\ncatalgo:\n  locations: []\n');
    const config = loadConfig({ rootDir: dir, env: {} });
    let message = '';
    try {
      validateConfig(config, [{ key: '', schema: backendConfigSchema, whole: true }], { knownSections: ['app', 'backend', 'catalog', 'techdocs'] });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`${file}: app.titel is not a known key (did you mean app.title?)`);
    expect(message).toContain(`${file}: backend.lisen is not a known key (did you mean backend.listen?)`);
    expect(message).toContain(`${file}: backend.baseURL is not a known key (did you mean backend.baseUrl?)`);
    expect(message).toContain(`${file}: catalgo is not a known key (did you mean catalog?)`);
  });

  it('suggests within a plugin section that closes its keys', () => {
    const file = write('app-config.yaml', 'demo:\n  sise: 3\n');
    const config = loadConfig({ rootDir: dir, env: {} });
    const schema = { type: 'object', properties: { name: { type: 'string' }, size: { type: 'integer' } }, additionalProperties: false };
    expect(() => validateConfig(config, [{ key: 'demo', schema }], { knownSections: ['demo'] })).toThrow(
      `Invalid configuration: ${file}: demo.sise is not a known key (did you mean demo.size?).`,
    );
  });

  it('warns about, and ignores, sections and keys only Backstage uses', () => {
    const file = write('app-config.yaml', 'integrations:\n  github: []\nbackend:\n  cors:\n    origin: http://x\n');
    const config = loadConfig({ rootDir: dir, env: {} });
    const warnings = validateConfig(config, [{ key: '', schema: backendConfigSchema, whole: true }], { knownSections: ['app', 'backend'] });
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^${file}: integrations is ignored: `)),
      expect.stringMatching(new RegExp(`^${file}: backend.cors is ignored: `)),
    ]);
  });

  it('applies defaults from a plugin schema in place', () => {
    write('app-config.yaml', 'demo:\n  name: x\n');
    const config = loadConfig({ rootDir: dir, env: {} });
    validateConfig(config, [
      { key: 'demo', schema: { type: 'object', properties: { name: { type: 'string' }, size: { type: 'integer', default: 3 } } } },
      { key: 'absent', schema: { type: 'object', properties: { on: { type: 'boolean', default: true } } } },
    ]);
    expect(config.get('demo')).toEqual({ name: 'x', size: 3 });
    expect(config.get('absent')).toEqual({ on: true });
  });
});
