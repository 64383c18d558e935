import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadError } from './ReadError.js';
import { tempDir, writeTree, removeTempDirs } from './testing.js';
import { FileReader } from './fileReader.js';

afterAll(removeTempDirs);

let base: string;
let root: string;

beforeAll(async () => {
  base = await tempDir();
  root = path.join(base, 'root');
  await writeTree(base, {
    'root/a.yaml': 'a',
    'root/sub/b.yaml': 'b',
    'root/sub/deeper/c.yaml': 'c',
    'root/big.yaml': 'x'.repeat(2048),
    'secret/passwd': 'top secret',
  });
  await fs.symlink(path.join(base, 'secret/passwd'), path.join(root, 'link-out.yaml'));
  await fs.symlink(path.join(base, 'secret'), path.join(root, 'dir-out'));
  await fs.symlink(path.join(root, 'a.yaml'), path.join(root, 'link-in.yaml'));
});

async function refusal(p: Promise<unknown>): Promise<ReadError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReadError);
  return error as ReadError;
}

describe('FileReader', () => {
  it('reads files under a root, following symlinks that stay inside', async () => {
    const reader = new FileReader([root], 1024 * 1024);
    expect((await reader.read(path.join(root, 'sub/b.yaml'))).toString()).toBe('b');
    expect((await reader.read(path.join(root, 'link-in.yaml'))).toString()).toBe('a');
  });

  it('refuses paths that climb out of the roots with ..', async () => {
    const reader = new FileReader([root], 1024 * 1024);
    const error = await refusal(reader.read(path.join(root, '../secret/passwd')));
    expect(error.kind).toBe('security');
    expect(error.message).toContain('outside the allowed file roots');
  });

  it('refuses symlinks (to files and through directories) that lead outside', async () => {
    const reader = new FileReader([root], 1024 * 1024);
    const viaFile = await refusal(reader.read(path.join(root, 'link-out.yaml')));
    expect(viaFile.kind).toBe('security');
    expect(viaFile.message).toContain('symlink');
    const viaDir = await refusal(reader.read(path.join(root, 'dir-out/passwd')));
    expect(viaDir.kind).toBe('security');
  });

  it('reports a missing file as not found', async () => {
    const reader = new FileReader([root], 1024 * 1024);
    const error = await refusal(reader.read(path.join(root, 'nope.yaml')));
    expect(error.kind).toBe('read');
    expect(error.notFound).toBe(true);
  });

  it('refuses files over the size limit', async () => {
    const reader = new FileReader([root], 1000);
    const error = await refusal(reader.read(path.join(root, 'big.yaml')));
    expect(error.kind).toBe('read');
    expect(error.message).toMatch(/larger than the 1000 bytes limit/);
  });

  it('expands globs, sorted, without leaving the roots', async () => {
    const reader = new FileReader([root], 1024 * 1024);
    const all = await reader.list(path.join(root, '**/*.yaml'));
    expect(all).toContain(path.join(root, 'sub/deeper/c.yaml'));
    expect(all).toEqual([...all].sort());
    expect(all.some((p) => p.includes('secret'))).toBe(false);
    expect(await reader.list(path.join(root, 'none/**/*.yaml'))).toEqual([]);
    expect((await refusal(reader.list(path.join(base, '*/passwd')))).kind).toBe('security');
  });

  it('refuses everything when no root is configured', async () => {
    const reader = new FileReader([], 1024);
    expect((await refusal(reader.read(path.join(root, 'a.yaml')))).kind).toBe('security');
  });
});
