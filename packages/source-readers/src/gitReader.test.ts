import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
