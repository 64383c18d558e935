import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Entity } from '@atrium/catalog-model';
import { git, removeTempDirs, tempDir, writeTree } from '@atrium/source-readers/testing';
import type { Logger } from '@atrium/backend-plugin-api';
import { afterAll, describe, expect, it } from 'vitest';
import { gitFactProvider, parseGitLocation } from './git.js';
import { UNKNOWN, type FactContext } from './types.js';

afterAll(removeTempDirs);

const ctx: FactContext = { entityExists: () => true, changedAt: () => undefined, now: new Date('2026-01-01T00:00:00Z'), trigger: 'sweep' };

function component(name: string, location: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations: { 'backstage.io/managed-by-location': location } },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

/** Records warnings (the provider only warns). */
function capturingLogger() {
  const lines: Array<{ msg: string; err?: Error; repo?: string }> = [];
  const logger = { warn: (fields: { err?: Error; repo?: string }, msg: string) => void lines.push({ ...fields, msg }) } as unknown as Logger;
  return { logger, lines };
}

describe('parseGitLocation (the shared grammar)', () => {
  it('reads the repository, ref and descriptor folder of git locations only', () => {
    expect(parseGitLocation('git:https://h/acme/svc.git#main:services/a/catalog-info.yaml')).toEqual({
      repo: 'https://h/acme/svc.git',
      ref: 'main',
      dir: 'services/a',
    });
    expect(parseGitLocation('git:/srv/we#ird#v1:/catalog-info.yaml')).toEqual({ repo: '/srv/we#ird', ref: 'v1', dir: '' });
    expect(parseGitLocation('url:https://h/x.yaml')).toBeUndefined();
    expect(parseGitLocation(undefined)).toBeUndefined();
  });

  it('refuses option-like refs and repositories, ".." refs and paths leaving the repository', () => {
    expect(parseGitLocation('git:https://h/r.git#--upload-pack=evil:c.yaml')).toBeUndefined();
    expect(parseGitLocation('git:https://h/r.git#a..b:c.yaml')).toBeUndefined();
    expect(parseGitLocation('git:--config=x#main:c.yaml')).toBeUndefined();
    expect(parseGitLocation('git:https://h/r.git#main:../../c.yaml')).toBeUndefined();
  });
});

describe('gitFactProvider', () => {
  it('reads repository facts at the commit into the cache folder it is given (under the data directory)', async () => {
    const root = await tempDir();
    const repo = path.join(root, 'repo');
    await writeTree(repo, {
      'services/a/catalog-info.yaml': 'x\n',
      'services/a/README.md': '# A\n',
      '.github/CODEOWNERS': '* @team-a\n',
      '.github/workflows/ci.yml': 'on: push\n',
      'services/b/catalog-info.yaml': 'x\n',
    });
    git(repo, 'init', '--quiet', '-b', 'main');
    git(repo, 'add', '.');
    git(repo, 'commit', '--quiet', '-m', 'first');
    const dataDir = await tempDir();
    const cacheDir = path.join(dataDir, 'scorecards', 'git');
    const { logger, lines } = capturingLogger();
    const provider = gitFactProvider({ cacheDir, fileRoots: [root], logger, allowPrivateNetworks: false });
    const url = pathToFileURL(repo).href;
    const facts = await provider.compute(
      [
        component('a', `git:${url}#main:services/a/catalog-info.yaml`),
        component('b', `git:${url}#main:services/b/catalog-info.yaml`),
        component('c', `file:${repo}/x.yaml`),
      ],
      ctx,
    );
    expect(lines).toEqual([]);
    expect(facts.get('component:default/a')).toEqual({ hasReadme: true, hasCodeowners: true, hasCiConfig: true });
    expect(facts.get('component:default/b')).toEqual({ hasReadme: false, hasCodeowners: true, hasCiConfig: true });
    expect(facts.get('component:default/c')).toEqual({ hasReadme: UNKNOWN, hasCodeowners: UNKNOWN, hasCiConfig: UNKNOWN });
    // The bare repository lives in the cache folder the plugin chose, nowhere else.
    const cached = await fs.readdir(cacheDir);
    expect(cached).toHaveLength(1);
    expect(cached[0]).toMatch(/\.git$/);
  });

  it('refuses a loopback repository in any git syntax and says which key would allow it', async () => {
    const { logger, lines } = capturingLogger();
    const provider = gitFactProvider({ cacheDir: path.join(await tempDir(), 'cache'), fileRoots: [], logger, allowPrivateNetworks: false });
    const facts = await provider.compute(
      [component('a', 'git:x@127.0.0.1:repo#main:catalog-info.yaml'), component('b', 'git:ssh://LOCALHOST./repo#main:catalog-info.yaml')],
      ctx,
    );
    expect(facts.get('component:default/a')).toEqual({ hasReadme: UNKNOWN, hasCodeowners: UNKNOWN, hasCiConfig: UNKNOWN });
    expect(lines.map((l) => [l.repo, l.err?.message])).toEqual([
      [
        'x@127.0.0.1:repo',
        expect.stringMatching(
          /^Refusing "x@127\.0\.0\.1:repo": it is 127\.0\.0\.1, a loopback, private or link-local address \(set scorecards\.git\.allowPrivateNetworks: true to allow it\)$/,
        ),
      ],
      [
        'ssh://LOCALHOST./repo',
        expect.stringMatching(/LOCALHOST\. (resolves to .*|is a reserved name for local or internal hosts) .*scorecards\.git\.allowPrivateNetworks/),
      ],
    ]);
  });
});
