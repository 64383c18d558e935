import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocsSourceError } from './DocsSource.js';
import { isPrivateAddress } from '@atrium/source-readers';
import { gitEditUrl, GitDocsTree, type GitTreeOptions } from './gitTree.js';
import { LocalDocsTree } from './localTree.js';
import { checkAllowedRoot, gitSourceFromUrl, resolveDocsLocation } from './resolveDocsLocation.js';

let tmp: string;
beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-techdocs-src-')));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, content: string) {
  const f = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, content);
  return f;
}

async function rejection(p: Promise<unknown>): Promise<DocsSourceError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DocsSourceError) return e;
    throw e;
  }
  throw new Error('expected a DocsSourceError');
}

describe('resolveDocsLocation', () => {
  it('resolves dir: against file, git and GitHub/GitLab url locations', () => {
    expect(resolveDocsLocation('dir:.', 'file:/repo/svc/catalog-info.yaml')).toEqual({ type: 'dir', path: '/repo/svc' });
    expect(resolveDocsLocation('dir:../docs', 'file:/repo/svc/.backstage/catalog-info.yaml')).toEqual({ type: 'dir', path: '/repo/svc/docs' });
    expect(resolveDocsLocation('dir:.', 'git:https://git.example.com/acme/svc.git#main:services/a/catalog-info.yaml')).toEqual({
      type: 'git',
      repo: 'https://git.example.com/acme/svc.git',
      ref: 'main',
      path: 'services/a',
    });
    expect(resolveDocsLocation('dir:docs', 'url:https://github.com/acme/svc/blob/v2/catalog-info.yaml')).toEqual({
      type: 'git',
      repo: 'https://github.com/acme/svc.git',
      ref: 'v2',
      path: 'docs',
    });
    expect(resolveDocsLocation('dir:.', 'url:https://gitlab.com/group/sub/svc/-/blob/main/x/catalog-info.yaml')).toEqual({
      type: 'git',
      repo: 'https://gitlab.com/group/sub/svc.git',
      ref: 'main',
      path: 'x',
    });
  });

  it('resolves url: refs to repositories and folders', () => {
    expect(resolveDocsLocation('url:https://github.com/acme/svc', undefined)).toEqual({
      type: 'git',
      repo: 'https://github.com/acme/svc.git',
      ref: 'HEAD',
      path: '',
    });
    expect(resolveDocsLocation('url:https://github.com/acme/svc/tree/main/site', undefined)).toEqual({
      type: 'git',
      repo: 'https://github.com/acme/svc.git',
      ref: 'main',
      path: 'site',
    });
    expect(gitSourceFromUrl('file:///srv/repo.git#main:docs', '')).toEqual({ type: 'git', repo: 'file:///srv/repo.git', ref: 'main', path: 'docs' });
  });

  it('refuses what it cannot or must not resolve', () => {
    const kinds = (ref: string, loc?: string) => {
      try {
        resolveDocsLocation(ref, loc);
        return 'ok';
      } catch (e) {
        return (e as DocsSourceError).kind;
      }
    };
    expect(kinds('dir:.', undefined)).toBe('unsupported');
    expect(kinds('value', 'file:/x/c.yaml')).toBe('unsupported');
    expect(kinds('github:acme/svc', 'file:/x/c.yaml')).toBe('unsupported');
    expect(kinds('dir:/etc', 'file:/x/c.yaml')).toBe('security');
    expect(kinds('dir:../../..', 'git:https://h/r.git#main:a/catalog-info.yaml')).toBe('security');
    expect(kinds('url:javascript:alert(1)')).toBe('unsupported');
    expect(kinds('url:https://example.com/docs/some/page')).toBe('unsupported');
    expect(kinds('dir:.', 'git:https://h/r.git#--upload-pack=evil:c.yaml')).toBe('security');
  });

  it('keeps local folders inside the allowed roots, by real path', async () => {
    write('root/docs/index.md', '# x');
    fs.mkdirSync(path.join(tmp, 'outside'), { recursive: true });
    fs.symlinkSync(path.join(tmp, 'outside'), path.join(tmp, 'root/link-out'));
    expect(await checkAllowedRoot(path.join(tmp, 'root/docs'), [path.join(tmp, 'root')])).toBe(path.join(tmp, 'root/docs'));
    expect((await rejection(checkAllowedRoot(path.join(tmp, 'outside'), [path.join(tmp, 'root')]))).kind).toBe('security');
    expect((await rejection(checkAllowedRoot(path.join(tmp, 'root/link-out'), [path.join(tmp, 'root')]))).kind).toBe('security');
    expect((await rejection(checkAllowedRoot(path.join(tmp, 'root/missing'), [path.join(tmp, 'root')]))).kind).toBe('not-found');
  });
});

describe('LocalDocsTree', () => {
  it('lists and reads files, refusing escapes, links out of the root and oversized files', async () => {
    write('site/mkdocs.yml', 'site_name: s');
    write('site/docs/index.md', '# Home');
    write('site/docs/.hidden/secret.md', 'x');
    write('site/node_modules/pkg/README.md', 'x');
    write('secret.txt', 'top secret');
    write('site/docs/big.md', 'x'.repeat(2000));
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(tmp, 'site/docs/leak.md'));
    const tree = await LocalDocsTree.open(path.join(tmp, 'site'), { maxFileBytes: 1000, maxFiles: 100 });
    expect(await tree.list()).toEqual(['docs/big.md', 'docs/index.md', 'mkdocs.yml']);
    expect((await tree.read('docs/index.md')).toString()).toBe('# Home');
    expect((await rejection(tree.read('../secret.txt'))).kind).toBe('security');
    expect((await rejection(tree.read('docs/leak.md'))).kind).toBe('security');
    expect((await rejection(tree.read('docs/big.md'))).kind).toBe('too-large');
    expect((await rejection(tree.read('docs/none.md'))).kind).toBe('not-found');
    expect((await rejection(LocalDocsTree.open(path.join(tmp, 'nope'), { maxFileBytes: 1, maxFiles: 1 }))).kind).toBe('not-found');
  });
});

describe('GitDocsTree', () => {
  let repo: string;
  let options: GitTreeOptions;
  beforeAll(() => {
    repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo, { recursive: true });
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, ...args], {
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
      });
    git('init', '-q', '-b', 'main');
    fs.mkdirSync(path.join(repo, 'svc/docs'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'svc/mkdocs.yml'), 'site_name: From git\n');
    fs.writeFileSync(path.join(repo, 'svc/docs/index.md'), '# Git docs\n');
    fs.writeFileSync(path.join(repo, 'top.md'), 'outside the docs root\n');
    fs.symlinkSync('/etc/passwd', path.join(repo, 'svc/docs/passwd.md'));
    git('add', '-A');
    git('commit', '-q', '-m', 'docs');
    options = {
      cacheDir: path.join(tmp, 'git-cache'),
      timeoutMs: 30_000,
      maxFileBytes: 1_000_000,
      maxFiles: 1000,
      allowPrivateNetworks: false,
      fileRoots: [tmp],
    };
  });

  it('fetches a ref of a file:// repository and reads the docs root inside it', async () => {
    const tree = await GitDocsTree.open({ repo: pathToFileURL(repo).href, ref: 'main', path: 'svc' }, options);
    expect(tree.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(await tree.list()).toEqual(['docs/index.md', 'mkdocs.yml']); // the symlink is not listed
    expect((await tree.read('mkdocs.yml')).toString()).toBe('site_name: From git\n');
    expect((await rejection(tree.read('../top.md'))).kind).toBe('security');
    expect((await rejection(tree.read('docs/missing.md'))).kind).toBe('not-found');
    const head = await GitDocsTree.open({ repo: pathToFileURL(repo).href, ref: 'HEAD', path: '' }, options);
    expect(head.revision).toBe(tree.revision);
  });

  it('refuses option-like input, unknown refs, missing folders and repositories outside the roots', async () => {
    const url = pathToFileURL(repo).href;
    expect((await rejection(GitDocsTree.open({ repo: '--upload-pack=touch /tmp/pwned', ref: 'main', path: '' }, options))).kind).toBe('security');
    expect((await rejection(GitDocsTree.open({ repo: url, ref: '--output=/tmp/x', path: '' }, options))).kind).toBe('security');
    expect((await rejection(GitDocsTree.open({ repo: url, ref: 'no-such-branch', path: '' }, options))).kind).toBe('not-found');
    expect((await rejection(GitDocsTree.open({ repo: url, ref: 'main', path: 'nope' }, options))).kind).toBe('not-found');
    expect((await rejection(GitDocsTree.open({ repo: url, ref: 'main', path: '' }, { ...options, fileRoots: [path.join(tmp, 'elsewhere')] }))).kind).toBe(
      'security',
    );
    expect((await rejection(GitDocsTree.open({ repo: 'ext::sh -c touch% /tmp/pwned', ref: 'main', path: '' }, options))).kind).toBe('security');
    expect((await rejection(GitDocsTree.open({ repo: 'https://127.0.0.1/x.git', ref: 'main', path: '' }, options))).kind).toBe('security');
  });

  it('makes edit links for GitHub and GitLab, and knows private addresses', () => {
    expect(gitEditUrl('https://github.com/acme/svc.git', 'main', 'docs/a b.md')).toBe('https://github.com/acme/svc/edit/main/docs/a%20b.md');
    expect(gitEditUrl('https://gitlab.com/g/svc.git', 'main', 'docs/x.md')).toBe('https://gitlab.com/g/svc/-/edit/main/docs/x.md');
    expect(gitEditUrl('file:///srv/repo', 'main', 'x.md')).toBeUndefined();
    expect(['10.1.2.3', '192.168.0.1', '127.0.0.1', '::1', 'fd00::1', '::ffff:10.0.0.1'].every(isPrivateAddress)).toBe(true);
    expect(['8.8.8.8', '2001:4860::8888'].some(isPrivateAddress)).toBe(false);
  });
});
