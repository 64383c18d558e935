import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitCommandError, InvalidGitRefError, copyTreeWithoutGit, gitFailureReason, isGitMetadataPath, runGit, validateGitRef } from './gitRunner.js';
import { git, removeTempDirs, tempDir, writeTree } from './testing.js';

afterAll(removeTempDirs);

const ID = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' };

/** A marker file a payload creates if git ever runs it. */
async function payloadDir(): Promise<{ dir: string; marker: (name: string) => string; fired: () => Promise<string[]> }> {
  const dir = await tempDir('atrium-payload-');
  const markers = path.join(dir, 'markers');
  await fs.mkdir(markers);
  return {
    dir,
    marker: (name) => path.join(markers, name),
    fired: async () => (await fs.readdir(markers)).sort(),
  };
}

/**
 * The exact payloads of the security report: a `.git/config` with a clean filter and an
 * fsmonitor, `.gitattributes` `* filter=x`, a hook, and an `include.path` pulling in more.
 */
async function hostileConfig(p: Awaited<ReturnType<typeof payloadDir>>): Promise<string> {
  const included = path.join(p.dir, 'included.config');
  await fs.writeFile(included, `[filter "y"]\n\tclean = "touch ${p.marker('include-filter')}"\n[core]\n\tpager = "touch ${p.marker('include-pager')}"\n`);
  return [
    '[core]',
    `\tfsmonitor = "touch ${p.marker('fsmonitor')}; echo"`,
    `\thooksPath = ${path.join(p.dir, 'hooks')}`,
    `\tsshCommand = "touch ${p.marker('sshCommand')}"`,
    '[filter "x"]',
    `\tclean = "touch ${p.marker('filter-clean')}; cat"`,
    `\tsmudge = "touch ${p.marker('filter-smudge')}; cat"`,
    `\tprocess = "touch ${p.marker('filter-process')}"`,
    '[diff "x"]',
    `\ttextconv = "touch ${p.marker('textconv')}; cat"`,
    `\tcommand = "touch ${p.marker('diff-command')}"`,
    '[include]',
    `\tpath = ${included}`,
    '',
  ].join('\n');
}

async function writeHooks(dir: string, p: Awaited<ReturnType<typeof payloadDir>>): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (const hook of ['pre-commit', 'post-commit', 'commit-msg', 'prepare-commit-msg', 'pre-push', 'post-checkout', 'reference-transaction']) {
    await fs.writeFile(path.join(dir, hook), `#!/bin/sh\ntouch ${p.marker(`hook-${hook}`)}\n`, { mode: 0o755 });
  }
}

describe('runGit: a skeleton or fetched tree carrying .git payloads', () => {
  it('never obeys a .git folder inside the work tree (filter, fsmonitor, hooks, include.path)', async () => {
    const p = await payloadDir();
    const work = await tempDir();
    await writeTree(work, {
      'README.md': 'hello\n',
      '.gitattributes': '* filter=x diff=x\n*.md filter=y\n',
      '.git/config': await hostileConfig(p),
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
    await fs.mkdir(path.join(work, '.git/objects'), { recursive: true });
    await fs.mkdir(path.join(work, '.git/refs'), { recursive: true });
    await writeHooks(path.join(work, '.git/hooks'), p);
    await writeHooks(path.join(p.dir, 'hooks'), p);

    // The git dir is ours, outside the work tree.
    const gitDir = path.join(await tempDir(), 'repo.git');
    await runGit(['init', '--quiet', '--bare', '-b', 'main', gitDir]);
    const opts = { gitDir, workTree: work, cwd: work, env: ID };
    await runGit(['add', '-A'], opts);
    await runGit(['commit', '--quiet', '-m', 'skeleton'], opts);
    await runGit(['status', '--porcelain'], opts);
    await runGit(['diff', '--no-ext-diff', 'HEAD'], opts);
    await runGit(['checkout', '--quiet', '--', 'README.md'], opts);
    const files = (await runGit(['ls-tree', '-r', '--name-only', 'HEAD'], opts)).stdout.trim().split('\n');

    expect(await p.fired()).toEqual([]);
    expect(files).toEqual(['.gitattributes', 'README.md']); // .git is never committed
    expect((await runGit(['cat-file', 'blob', 'HEAD:README.md'], opts)).stdout).toBe('hello\n');
  });

  it('ignores hooks in the git dir itself (core.hooksPath points at an empty folder)', async () => {
    const p = await payloadDir();
    const work = await tempDir();
    await writeTree(work, { 'a.txt': 'a\n' });
    const gitDir = path.join(await tempDir(), 'repo.git');
    await runGit(['init', '--quiet', '--bare', '-b', 'main', gitDir]);
    await writeHooks(path.join(gitDir, 'hooks'), p);
    const opts = { gitDir, workTree: work, env: ID };
    await runGit(['add', '-A'], opts);
    await runGit(['commit', '--quiet', '-m', 'x'], opts);
    expect(await p.fired()).toEqual([]);
  });

  it('ignores the server user’s global and system configuration and git environment variables', async () => {
    const p = await payloadDir();
    const home = await tempDir();
    const config = await hostileConfig(p);
    await fs.writeFile(path.join(home, '.gitconfig'), config);
    const globalFile = path.join(home, 'global.config');
    await fs.writeFile(globalFile, config);
    const work = await tempDir();
    await writeTree(work, { 'a.txt': 'a\n', '.gitattributes': '* filter=x\n' });
    const gitDir = path.join(await tempDir(), 'repo.git');
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        HOME: home,
        XDG_CONFIG_HOME: home,
        GIT_CONFIG_GLOBAL: globalFile,
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'core.fsmonitor',
        GIT_CONFIG_VALUE_0: `touch ${p.marker('env-fsmonitor')}; echo`,
        GIT_EXTERNAL_DIFF: `touch ${p.marker('external-diff')}`,
        GIT_ASKPASS: `touch ${p.marker('askpass')}`,
        GIT_DIR: path.join(work, 'nope'),
      });
      await runGit(['init', '--quiet', '--bare', '-b', 'main', gitDir]);
      const opts = { gitDir, workTree: work, env: ID };
      await runGit(['add', '-A'], opts);
      await runGit(['commit', '--quiet', '-m', 'x'], opts);
      await runGit(['diff', 'HEAD~0'], opts);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) Reflect.deleteProperty(process.env, key);
      Object.assign(process.env, saved);
    }
    expect(await p.fired()).toEqual([]);
  });

  it('refuses a git dir inside the work tree, and a cwd holding .git without a git dir', async () => {
    const work = await tempDir();
    await writeTree(work, { '.git/HEAD': 'ref: refs/heads/main\n', 'a.txt': 'a' });
    await expect(runGit(['status'], { cwd: work })).rejects.toThrow(/contains a \.git entry/);
    await expect(runGit(['status'], { gitDir: path.join(work, '.git'), workTree: work })).rejects.toThrow(/must not be inside the work tree/);
    await expect(runGit(['status'], { workTree: work })).rejects.toThrow(/needs a gitDir/);
    await expect(runGit(['--git-dir=/tmp/x', 'status'])).rejects.toThrow(/first argument must be the git command/);
    await expect(runGit(['status'], { env: { GIT_DIR: work } })).rejects.toThrow(/GIT_DIR is not allowed/);
    await expect(runGit(['status'], { config: { 'core.fsmonitor': 'x' } })).rejects.toThrow(/core.fsmonitor is not allowed/);
    await expect(runGit(['status'], { cwd: path.join(work, 'missing') })).rejects.toThrow(/working directory .*missing does not exist/);
  });

  it('does not discover a repository above cwd', async () => {
    const outer = await tempDir();
    git(outer, 'init', '--quiet');
    await fs.mkdir(path.join(outer, 'inner'));
    const error = await runGit(['status'], { cwd: path.join(outer, 'inner') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitCommandError);
    expect((error as GitCommandError).message).toMatch(/not a git repository/);
  });
});

describe('runGit: transports', () => {
  it('refuses ext::, fd:: and (unless asked) file and ssh transports', async () => {
    const p = await payloadDir();
    const repo = await tempDir();
    git(repo, 'init', '--quiet', '-b', 'main');
    const refusal = async (url: string, opts = {}) => {
      const error = await runGit(['ls-remote', '--', url], opts).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitCommandError);
      return (error as GitCommandError).message;
    };
    expect(await refusal(`ext::sh -c touch% ${p.marker('ext')}`)).toMatch(/transport 'ext' not allowed/);
    expect(await refusal('fd::3')).toMatch(/transport 'fd' not allowed/);
    expect(await refusal(repo)).toMatch(/transport 'file' not allowed/);
    expect(await refusal(`file://${repo}`)).toMatch(/transport 'file' not allowed/);
    expect(await refusal('x@127.0.0.1:repo')).toMatch(/transport 'ssh' not allowed/);
    expect(await refusal('ssh://x@127.0.0.1/repo')).toMatch(/transport 'ssh' not allowed/);
    await runGit(['ls-remote', '--', repo], { allowFileProtocol: true });
    expect(await p.fired()).toEqual([]);
  });

  it('keeps git’s own reason in errors', async () => {
    const error = await runGit(['ls-remote', '--', '/no/such/repo'], { allowFileProtocol: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitCommandError);
    expect((error as GitCommandError).message).toMatch(/^git ls-remote: '\/no\/such\/repo' does not appear to be a git repository/);
    expect(
      gitFailureReason(
        "fatal: detected dubious ownership in repository at '/srv/x'\nTo add an exception for this directory, call:\n\n\tgit config --global --add safe.directory /srv/x\n",
      ),
    ).toBe("detected dubious ownership in repository at '/srv/x'");
  });

  it.runIf(process.getuid?.() === 0)('reports dubious ownership with git’s words (needs root to chown)', async () => {
    const repo = await tempDir();
    git(repo, 'init', '--quiet', '--bare');
    await fs.chown(repo, 65534, 65534);
    const error = await runGit(['ls-remote', '--', repo], { allowFileProtocol: true }).catch((e: unknown) => e);
    expect((error as GitCommandError).message).toMatch(
      /^git ls-remote: detected dubious ownership in repository at '.*'; Could not read from remote repository/,
    );
  });

  describe('time limits', () => {
    let server: net.Server;
    let port = 0;
    const sockets = new Set<net.Socket>();
    beforeAll(async () => {
      server = net.createServer((s) => {
        sockets.add(s); // accept and never answer
        s.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as net.AddressInfo).port;
    });
    afterEach(() => {
      for (const s of sockets) s.destroy();
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('kills git after timeoutMs', async () => {
      const error = await runGit(['ls-remote', '--', `git://127.0.0.1:${port}/x`], { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitCommandError);
      expect((error as GitCommandError).failure).toBe('timeout');
      expect((error as GitCommandError).message).toBe('git ls-remote: timed out after 300 ms');
    });

    it('stops when the signal aborts', async () => {
      const controller = new AbortController();
      const pending = runGit(['ls-remote', '--', `git://127.0.0.1:${port}/x`], { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      const error = await pending.catch((e: unknown) => e);
      expect((error as GitCommandError).failure).toBe('cancelled');
    });
  });

  it('feeds input and caps output', async () => {
    const gitDir = path.join(await tempDir(), 'r.git');
    await runGit(['init', '--quiet', '--bare', gitDir]);
    const { stdout } = await runGit(['hash-object', '-w', '--stdin'], { gitDir, input: 'x'.repeat(5000) });
    const id = stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{40}$/);
    const error = await runGit(['cat-file', 'blob', id], { gitDir, maxBytes: 1000 }).catch((e: unknown) => e);
    expect((error as GitCommandError).failure).toBe('too-large');
  });
});

describe('validateGitRef', () => {
  it.each(['main', 'release/1.2', 'v1.0.0', 'feature/a-b_c', 'HEAD', 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', 'user@x'])('accepts %s', (ref) => {
    expect(() => validateGitRef(ref)).not.toThrow();
  });
  it.each([
    '',
    '-x',
    '--upload-pack=touch /tmp/pwned',
    'a..b',
    '..',
    'a b',
    'a\nb',
    'a\0b',
    'a\tb',
    'x\x7f',
    'a:b',
    'a~1',
    'a^',
    'a?',
    'a*',
    'a[',
    'a\\b',
    '@',
    'a@{1}',
    '/a',
    'a/',
    'a//b',
    '.hidden',
    'a/.b',
    'a.lock',
    'a/b.lock/c',
    'a.',
    'x'.repeat(256),
  ])('refuses %j', (ref) => {
    expect(() => validateGitRef(ref)).toThrow(InvalidGitRefError);
  });
});

describe('git metadata in copied trees', () => {
  it.each(['.git', '.git/config', 'a/.git/hooks/x', '.GIT/config', '.git./config', 'a\\.git\\config', 'git~1/config', '.git '])('%j is git metadata', (p) => {
    expect(isGitMetadataPath(p)).toBe(true);
  });
  it.each(['.gitignore', '.gitattributes', '.github/workflows/x.yml', 'git/config', 'a.git/b', 'my.git'])('%j is not', (p) => {
    expect(isGitMetadataPath(p)).toBe(false);
  });

  it('copies a tree without any .git entry and refuses symlinks', async () => {
    const src = await tempDir();
    await writeTree(src, { 'a.txt': 'a', 'sub/b.sh': 'b', '.git/config': 'x', 'sub/.git': 'gitdir: /x', 'sub/.GIT/config': 'y', '.gitignore': 'z' });
    await fs.chmod(path.join(src, 'sub/b.sh'), 0o755);
    const dest = path.join(await tempDir(), 'out');
    expect(await copyTreeWithoutGit(src, dest)).toEqual(['.gitignore', 'a.txt', 'sub/b.sh']);
    expect((await fs.stat(path.join(dest, 'sub/b.sh'))).mode & 0o777).toBe(0o755);
    await expect(fs.access(path.join(dest, '.git'))).rejects.toThrow();
    await fs.symlink('/etc/passwd', path.join(src, 'link'));
    await expect(copyTreeWithoutGit(src, path.join(await tempDir(), 'out'))).rejects.toThrow(/link: it is a symlink/);
    expect(await copyTreeWithoutGit(src, path.join(await tempDir(), 'out'), { symlinks: 'skip' })).toEqual(['.gitignore', 'a.txt', 'sub/b.sh']);
  });
});
