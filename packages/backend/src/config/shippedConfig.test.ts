import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultPlugins } from '../plugins.js';
import { backendConfigSchema, HOST_CONFIG_SECTIONS } from './backendConfigSchema.js';
import { loadConfig } from './loadConfig.js';
import { validateConfig } from './validateConfig.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const env = { POSTGRES_HOST: 'db', POSTGRES_USER: 'atrium', POSTGRES_PASSWORD: 'secret' };

// Every key of the files the repository ships is one something reads: no warning, no error.
describe.each([[[]], [['app-config.production.yaml']], [['e2e/app-config.e2e.yaml']]])('the shipped config app-config.yaml + %j', (extra) => {
  it('has only known keys and passes every schema', () => {
    const config = loadConfig({ rootDir: repoRoot, configFiles: extra.map((f) => path.join(repoRoot, f)), env, cwd: repoRoot });
    const sections = [
      { key: '', schema: backendConfigSchema, whole: true },
      ...defaultPlugins.filter((p) => p.configSchema).map((p) => ({ key: p.id, schema: p.configSchema! })),
    ];
    const warnings = validateConfig(config, sections, { knownSections: [...HOST_CONFIG_SECTIONS, ...defaultPlugins.map((p) => p.id)] });
    expect(warnings).toEqual([]);
  });
});
