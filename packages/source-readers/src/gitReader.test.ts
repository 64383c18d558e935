import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitCommandError } from './gitRunner.js';
import { ReadError } from './ReadError.js';
import { git, tempDir, writeTree, removeTempDirs } from './testing.js';
import { FileReader } from './fileReader.js';
import { GitReader } from './gitReader.js';

afterAll(removeTempDirs);

let root: string;
let work: string;
let repoUrl: string;

beforeAll(async () => {
  root = await tempDir();
  work = path.join(root, 'repo');
  await writeTree(work, { 'catalog-info.yaml': 'one\n', 'services/a/catalog-info.yaml': 'a\n', 'services/b/catalog-info.yaml': 'b\n' });
  git(work, 'init', '--quiet', '-b', 'main');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'first');
  git(work, 'tag', 'v1');
  repoUrl = pathToFileURL(work).href;
});

const reader = (cacheDir: string, roots = [root], fetchTtlMs = 0) =>
  new GitReader({ cacheDir, timeoutMs: 30_000, maxBytes: 1024 * 1024, allowPrivateNetworks: false, fetchTtlMs, files: new FileReader(roots, 1024 * 1024) });

async function failure(p: Promise<unknown>): Promise<ReadError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReadError);
  return error as ReadError;
}

describe('GitReader', () => {
  it('fetches a branch shallowly into the cache and reads files at its commit', async () => {
    const cache = await tempDir();
    const tree = await reader(cache).open(repoUrl, 'main');
    expect(tree.commit).toBe(git(work, 'rev-parse', 'HEAD'));
    expect(await tree.list()).toEqual(['catalog-info.yaml', 'services/a/catalog-info.yaml', 'services/b/catalog-info.yaml']);
    expect((await tree.read('services/b/catalog-info.yaml')).toString()).toBe('b\n');
    const missing = await failure(tree.read('nope.yaml'));
    expect(missing.notFound).toBe(true);
  });

  it('reads tags, and sees new commits on the next open', async () => {
    const cache = await tempDir();
    expect((await (await reader(cache).open(repoUrl, 'v1')).read('catalog-info.yaml')).toString()).toBe('one\n');
    await writeTree(work, { 'catalog-info.yaml': 'two\n' });
    git(work, 'commit', '--quiet', '-am', 'second');
    const tree = await reader(cache).open(repoUrl, 'main');
    expect((await tree.read('catalog-info.yaml')).toString()).toBe('two\n');
    expect(tree.commit).toBe(git(work, 'rev-parse', 'HEAD'));
  });

  it('reuses a recent fetch of the same ref within fetchTtlMs', async () => {
    const cache = await tempDir();
    const first = await reader(cache, [root], 60_000).open(repoUrl, 'main');
    await writeTree(work, { 'catalog-info.yaml': 'three\n' });
    git(work, 'commit', '--quiet', '-am', 'third');
    expect((await reader(cache, [root], 60_000).open(repoUrl, 'main')).commit).toBe(first.commit);
    expect((await reader(cache, [root], 0).open(repoUrl, 'main')).commit).toBe(git(work, 'rev-parse', 'HEAD'));
  });

  it('gives clear read errors for a missing ref or repository', async () => {
    const cache = await tempDir();
    const noRef = await failure(reader(cache).open(repoUrl, 'no-such-branch'));
    expect(noRef.kind).toBe('read');
    expect(noRef.message).toMatch(/Cannot fetch "no-such-branch".*couldn't find remote ref/);
    const noRepo = await failure(reader(cache).open(pathToFileURL(path.join(root, 'missing.git')).href, 'main'));
    expect(noRepo.kind).toBe('read');
    expect(noRepo.notFound).toBe(true);
  });

  it('never lets input become a git option or an unsafe transport', async () => {
    const cache = await tempDir();
    expect((await failure(reader(cache).open(repoUrl, '--upload-pack=touch /tmp/pwned'))).kind).toBe('security');
    expect((await failure(reader(cache).open('--upload-pack=evil', 'main'))).kind).toBe('security');
    expect((await failure(reader(cache).open('ext::sh -c touch% /tmp/pwned', 'main'))).kind).toBe('security');
    expect((await failure(reader(cache).open(repoUrl, 'a..b'))).kind).toBe('security');
  });

  it('refuses file:// repositories outside the file roots', async () => {
    const cache = await tempDir();
    const other = await tempDir();
    expect((await failure(reader(cache, [other]).open(repoUrl, 'main'))).kind).toBe('security');
  });

  it('refuses http(s) repositories on private addresses unless allowed', async () => {
    const cache = await tempDir();
    const error = await failure(reader(cache).open('http://127.0.0.1:9/repo.git', 'main'));
    expect(error.kind).toBe('security');
  });

  it('refuses scp-style, ssh:// and git:// repositories on loopback before anything connects', async () => {
    const cache = await tempDir();
    let connections = 0;
    const listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    try {
      for (const repo of [
        'x@127.0.0.1:repo',
        `[127.0.0.1:${port}]:repo`,
        'LOCALHOST.:repo',
        `ssh://x@127.0.0.1:${port}/repo`,
        `ssh://x@0x7f.1:${port}/repo`,
        `git+ssh://[::ffff:127.0.0.1]:${port}/repo`,
        `git://127.1:${port}/repo`,
        `https://2130706433:${port}/repo.git`,
      ]) {
        const error = await failure(reader(cache).open(repo, 'main'));
        expect(error.kind, repo).toBe('security');
      }
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
    expect(connections).toBe(0);
  });

  it('fetches a hostile repository without running anything it carries (hooks, config, filters, submodules)', async () => {
    const markers = await tempDir();
    const hostileRoot = await tempDir();
    const hostile = path.join(hostileRoot, 'hostile');
    await writeTree(hostile, { 'catalog-info.yaml': 'x\n', '.gitattributes': '* filter=x\n' });
    git(hostile, 'init', '--quiet', '-b', 'main');
    git(hostile, 'add', '.');
    git(hostile, 'commit', '--quiet', '-m', 'first');
    const sub = git(hostile, 'rev-parse', 'HEAD');
    git(hostile, 'update-index', '--add', '--cacheinfo', `160000,${sub},vendor/sub`);
    await writeTree(hostile, { '.gitmodules': `[submodule "sub"]\n\tpath = vendor/sub\n\turl = ext::sh -c touch% ${markers}/submodule\n` });
    git(hostile, 'add', '.gitmodules');
    git(hostile, 'commit', '--quiet', '-m', 'submodule');
    const touch = (name: string) => `touch ${path.join(markers, name)}`;
    await fs.writeFile(path.join(markers, 'included.config'), `[core]\n\tfsmonitor = "${touch('include')}; echo"\n`);
    await fs.appendFile(
      path.join(hostile, '.git/config'),
      [
        '[core]',
        `\tfsmonitor = "${touch('fsmonitor')}; echo"`,
        `\tsshCommand = "${touch('ssh')}"`,
        `\thooksPath = ${path.join(markers, 'hooks')}`,
        `[filter "x"]\n\tclean = "${touch('clean')}; cat"\n\tsmudge = "${touch('smudge')}; cat"`,
        `[uploadpack]\n\tpackObjectsHook = "${touch('packObjectsHook')}; exec"`,
        `[include]\n\tpath = ${path.join(markers, 'included.config')}`,
        '',
      ].join('\n'),
    );
    await fs.mkdir(path.join(markers, 'hooks'));
    for (const hook of ['pre-upload-pack', 'post-checkout', 'reference-transaction', 'post-merge']) {
      await fs.writeFile(path.join(markers, 'hooks', hook), `#!/bin/sh\n${touch(hook)}\n`, { mode: 0o755 });
      await fs.writeFile(path.join(hostile, '.git/hooks', hook), `#!/bin/sh\n${touch(`own-${hook}`)}\n`, { mode: 0o755 });
    }
    const tree = await reader(await tempDir(), [hostileRoot]).open(pathToFileURL(hostile).href, 'main');
    expect(await tree.list()).toEqual(['.gitattributes', '.gitmodules', 'catalog-info.yaml']);
    expect((await tree.read('catalog-info.yaml')).toString()).toBe('x\n');
    expect((await fs.readdir(markers)).sort()).toEqual(['hooks', 'included.config']);
  });

  it.runIf(process.getuid?.() === 0)('keeps git’s reason when it refuses a repository owned by someone else', async () => {
    const otherRoot = await tempDir();
    const other = path.join(otherRoot, 'other');
    await writeTree(other, { 'catalog-info.yaml': 'x\n' });
    git(other, 'init', '--quiet', '-b', 'main');
    git(other, 'add', '.');
    git(other, 'commit', '--quiet', '-m', 'first');
    await fs.chown(other, 65534, 65534);
    await fs.chown(path.join(other, '.git'), 65534, 65534);
    const error = await failure(reader(await tempDir(), [otherRoot]).open(pathToFileURL(other).href, 'main'));
    expect(error.message).toMatch(/^Cannot fetch "main" from file:\/\/.*: detected dubious ownership in repository at '.*other/);
    expect(error).not.toBeInstanceOf(GitCommandError);
  });

  describe('one cache shared by threads and processes', () => {
    const lockOf = (cache: string) => path.join(cache, `${createHash('sha256').update(repoUrl).digest('hex').slice(0, 24)}.git.lock`);

    it('waits while another holder has the repository locked, then fetches and releases the lock', async () => {
      const cache = await tempDir();
      await fs.mkdir(lockOf(cache), { recursive: true });
      let opened = false;
      const pending = reader(cache)
        .open(repoUrl, 'main')
        .then((tree) => {
          opened = true;
          return tree;
        });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(opened).toBe(false);
      await fs.rm(lockOf(cache), { recursive: true });
      expect((await pending).commit).toBe(git(work, 'rev-parse', 'HEAD'));
      await expect(fs.access(lockOf(cache))).rejects.toThrow();
    });

    it('takes over a lock left by a holder that died', async () => {
      const cache = await tempDir();
      await fs.mkdir(lockOf(cache), { recursive: true });
      const anHourAgo = new Date(Date.now() - 3_600_000);
      await fs.utimes(lockOf(cache), anHourAgo, anHourAgo);
      expect((await reader(cache).open(repoUrl, 'main')).commit).toBe(git(work, 'rev-parse', 'HEAD'));
      await expect(fs.access(lockOf(cache))).rejects.toThrow();
    });
  });
});
