import { describe, expect, it } from 'vitest';
import { ReadError } from './ReadError.js';
import { formatGitLocation, normalizeRepoPath, parseGitLocation } from './gitLocation.js';

function refusal(target: string, options?: Parameters<typeof parseGitLocation>[1]): ReadError {
  try {
    parseGitLocation(target, options);
  } catch (error) {
    if (error instanceof ReadError) return error;
    throw error;
  }
  throw new Error(`${target} was accepted`);
}

describe('parseGitLocation', () => {
  it('splits <repo>#<ref>:<path>', () => {
    expect(parseGitLocation('https://github.com/acme/svc.git#main:catalog-info.yaml')).toEqual({
      repo: 'https://github.com/acme/svc.git',
      ref: 'main',
      path: 'catalog-info.yaml',
    });
    expect(parseGitLocation('file:///srv/repos/a#v1.2.0:docs/x/catalog.yaml')).toEqual({
      repo: 'file:///srv/repos/a',
      ref: 'v1.2.0',
      path: 'docs/x/catalog.yaml',
    });
  });

  it('ends the repository at the last # and the ref at the first : after it', () => {
    expect(parseGitLocation('/tmp/we#ird#feature/x:a:b.yaml')).toEqual({ repo: '/tmp/we#ird', ref: 'feature/x', path: 'a:b.yaml' });
  });

  it('uses the default path and ref when none is written', () => {
    expect(parseGitLocation('https://h/r.git#main', { defaultPath: 'catalog-info.yaml' }).path).toBe('catalog-info.yaml');
    expect(parseGitLocation('https://h/r.git#main').path).toBe('');
    expect(parseGitLocation('https://h/r.git', { defaultRef: 'HEAD' })).toEqual({ repo: 'https://h/r.git', ref: 'HEAD', path: '' });
    expect(parseGitLocation('https://h/r.git#:docs', { defaultRef: 'HEAD' })).toEqual({ repo: 'https://h/r.git', ref: 'HEAD', path: 'docs' });
  });

  it('normalises the path: leading slashes, dot segments, inner ..', () => {
    expect(parseGitLocation('r#main:/a/./b/../c.yaml').path).toBe('a/c.yaml');
    expect(parseGitLocation('r#main:docs/').path).toBe('docs');
    expect(parseGitLocation('r#main:.').path).toBe('');
  });

  it('requires a # unless a default ref is given, and a repository before it', () => {
    expect(refusal('https://h/r.git').message).toContain('<repository url>#<ref>:<path>');
    expect(refusal('#main:x.yaml').kind).toBe('read');
  });

  it('refuses option-like and malformed refs', () => {
    for (const ref of ['--upload-pack=evil', '-x', 'a..b', '..', 'a b', 'x@{1}', '', 'a/.hidden', 'x.lock']) {
      const e = refusal(`https://h/r.git#${ref}:x.yaml`);
      expect(e.kind, ref).toBe('security');
      expect(e.message).toContain('is not a valid branch, tag or commit name');
    }
  });

  it('refuses an option-like repository', () => {
    expect(refusal('--upload-pack=touch /tmp/x#main:x.yaml').kind).toBe('security');
  });

  it('refuses paths that leave the repository, and NUL characters', () => {
    expect(refusal('r#main:../secret').message).toContain('points outside the repository');
    expect(refusal('r#main:a/../../secret').kind).toBe('security');
    expect(refusal('r#main:a\0b').kind).toBe('security');
  });

  it('refuses a root path when a file is required', () => {
    expect(refusal('r#main:/', { requirePath: true }).message).toContain('names no file');
  });

  it('formats back to the same grammar', () => {
    const loc = parseGitLocation('https://h/r.git#main:a/b.yaml');
    expect(parseGitLocation(formatGitLocation(loc))).toEqual(loc);
    expect(formatGitLocation({ repo: 'r', ref: 'main', path: '' })).toBe('r#main');
  });

  it('normalizeRepoPath names what it refuses', () => {
    expect(() => normalizeRepoPath('../x', 'Path')).toThrow(/Path "..\/x" points outside/);
  });
});
