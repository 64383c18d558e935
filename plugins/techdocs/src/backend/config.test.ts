import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTechdocsSettings } from './config.js';

const configDir = '/etc/atrium';
const dataDir = '/var/lib/atrium';
const resolve = (raw: Parameters<typeof resolveTechdocsSettings>[0]) => resolveTechdocsSettings(raw, {}, () => configDir, dataDir);

describe('resolveTechdocsSettings: where TechDocs writes', () => {
  // The Docker image cannot write to its working directory or rely on a shared temp folder:
  // every folder the plugin writes defaults to the host's data directory.
  it('caches git repositories under backend.dataDir by default', () => {
    expect(resolve({}).git.cacheDir).toBe(path.join(dataDir, 'techdocs', 'git-cache'));
  });

  it('resolves a relative git cache against backend.dataDir and keeps an absolute one', () => {
    expect(resolve({ git: { cacheDir: 'cache/git' } }).git.cacheDir).toBe(path.join(dataDir, 'cache', 'git'));
    expect(resolve({ git: { cacheDir: '/srv/git-cache' } }).git.cacheDir).toBe('/srv/git-cache');
  });

  it('stores directory sites under backend.dataDir unless a directory is configured', () => {
    expect(resolve({ storage: { type: 'directory' } }).storage).toEqual({ type: 'directory', directory: path.join(dataDir, 'techdocs', 'sites') });
    expect(resolve({ storage: { type: 'directory', directory: 'sites' } }).storage).toEqual({ type: 'directory', directory: path.join(configDir, 'sites') });
  });
});
