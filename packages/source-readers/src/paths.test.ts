import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadError } from './ReadError.js';
import { confinePath, globBase, isPathInside } from './paths.js';
import { removeTempDirs, tempDir } from './testing.js';

afterAll(removeTempDirs);

describe('isPathInside', () => {
  it('is lexical containment, not a string prefix', () => {
    expect(isPathInside('/srv/root', '/srv/root')).toBe(true);
    expect(isPathInside('/srv/root', '/srv/root/a/b')).toBe(true);
    expect(isPathInside('/srv/root/', '/srv/root/a')).toBe(true);
    expect(isPathInside('/srv/root', '/srv/root-other/a')).toBe(false);
    expect(isPathInside('/srv/root', '/srv/root/../x')).toBe(false);
    expect(isPathInside('/srv/root', '/srv')).toBe(false);
    // A name that merely starts with two dots is still inside.
    expect(isPathInside('/srv/root', '/srv/root/..hidden')).toBe(true);
  });
});

describe('confinePath', () => {
  let base: string;
  let root: string;
  beforeAll(async () => {
    base = await tempDir();
    root = path.join(base, 'root');
    await fs.mkdir(path.join(root, 'sub'), { recursive: true });
    await fs.mkdir(path.join(base, 'secret'));
    await fs.writeFile(path.join(root, 'sub/a.md'), 'a');
    await fs.writeFile(path.join(base, 'secret/key'), 'k');
    await fs.symlink(path.join(base, 'secret/key'), path.join(root, 'link-out'));
    await fs.symlink(path.join(base, 'secret'), path.join(root, 'dir-out'));
    await fs.symlink(path.join(root, 'sub/a.md'), path.join(root, 'link-in'));
  });

  async function refusal(roots: string | string[], target: string): Promise<ReadError> {
    const e = await confinePath(roots, target).then(
      () => undefined,
      (err: unknown) => err,
    );
    if (!(e instanceof ReadError)) throw new Error(`${target} was not refused with a ReadError`);
    return e;
  }

  it('returns the real path of files inside, relative or absolute, through links that stay inside', async () => {
    const realRoot = await fs.realpath(root);
    expect(await confinePath(root, 'sub/a.md')).toBe(path.join(realRoot, 'sub/a.md'));
    expect(await confinePath([path.join(base, 'elsewhere'), root], path.join(root, 'sub'))).toBe(path.join(realRoot, 'sub'));
    expect(await confinePath(root, 'link-in')).toBe(path.join(realRoot, 'sub/a.md'));
  });

  it('refuses .. escapes before touching the filesystem', async () => {
    const e = await refusal(root, '../secret/key');
    expect(e.kind).toBe('security');
    expect(e.message).toContain('outside the allowed roots');
  });

  it('refuses symlinks (to files and through folders) that lead out of every root', async () => {
    expect((await refusal(root, 'link-out')).message).toContain('resolves through a symlink');
    expect((await refusal(root, 'dir-out/key')).kind).toBe('security');
  });

  it('reports a missing path as not found, and refuses NUL and an empty root list', async () => {
    const missing = await refusal(root, 'sub/none.md');
    expect(missing.kind).toBe('read');
    expect(missing.notFound).toBe(true);
    expect((await refusal(root, 'a\0b')).kind).toBe('security');
    expect((await refusal([], '/etc/passwd')).kind).toBe('security');
  });
});

describe('globBase', () => {
  it("is the folder before the first wildcard segment, or the file's folder", () => {
    expect(globBase('/srv/a/b/*.yaml')).toBe('/srv/a/b');
    expect(globBase('/srv/a/**/c/catalog-info.yaml')).toBe('/srv/a');
    expect(globBase('/srv/a/catalog-info.yaml')).toBe('/srv/a');
    expect(globBase('/*/x.yaml')).toBe('/');
  });
});
