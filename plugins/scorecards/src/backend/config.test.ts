import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { customRelationTypes, resolveGitCacheDir } from './config.js';

describe('resolveGitCacheDir', () => {
  const dataDir = path.resolve('/srv/atrium-data');
  it('puts the git cache inside the data directory (never the working directory)', () => {
    expect(resolveGitCacheDir(dataDir, 'scorecards/git')).toBe(path.join(dataDir, 'scorecards', 'git'));
    expect(resolveGitCacheDir(dataDir, path.join(dataDir, 'cache'))).toBe(path.join(dataDir, 'cache'));
  });
  it('refuses a folder outside the data directory, naming the key', () => {
    expect(() => resolveGitCacheDir(dataDir, '../elsewhere')).toThrow(/scorecards\.git\.cacheDir must be a folder inside the data directory/);
    expect(() => resolveGitCacheDir(dataDir, '/tmp/x')).toThrow(/backend\.dataDir/);
    expect(() => resolveGitCacheDir(dataDir, '.')).toThrow(/inside the data directory/);
  });
});

describe('customRelationTypes', () => {
  it('reads relation types and inverses custom kinds declare', () => {
    expect(customRelationTypes({ kinds: [{ kind: 'Cluster', relations: [{ field: 'runs', type: 'runs', inverse: 'runsOn' }] }, { kind: 'Plain' }] })).toEqual([
      'runs',
      'runsOn',
    ]);
    expect(customRelationTypes(undefined)).toEqual([]);
    expect(customRelationTypes({ kinds: 'nonsense' })).toEqual([]);
  });
});
