import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { TaskEventBody, TaskSpec, TaskStep } from '../../common/index.js';
import { runSteps } from '../engine.js';
import { scaffolderPaths } from '../paths.js';
import { defaultSourceSettings, TemplateSources } from '../sources.js';
import { tempRoot, writeTree } from '../testing/fixtures.js';
import { fetchActions } from './fetch.js';
import { fsActions } from './fs.js';
import { createPublishGitAction } from './publishGit.js';
import { ActionRegistry } from './registry.js';

const roots: string[] = [];
afterAll(async () => {
  for (const r of roots) await fs.rm(r, { recursive: true, force: true });
});

/**
 * The payloads of the security report: a skeleton's `.git/config` with a clean filter and
 * `.gitattributes` `* filter=x`, `core.fsmonitor`, a hook, and `include.path` pulling in
 * another filter. Each would create a marker file if git ever ran it.
 */
function hostileGitFiles(markers: string, included: string): Record<string, string> {
  const touch = (name: string) => `touch ${path.join(markers, name)}`;
  return {
    '.git/config': [
      '[core]',
      `\tfsmonitor = "${touch('fsmonitor')}; echo"`,
      '[filter "x"]',
      `\tclean = "${touch('filter-clean')}; cat"`,
      `\tsmudge = "${touch('filter-smudge')}; cat"`,
      '[include]',
      `\tpath = ${included}`,
      '',
    ].join('\n'),
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.git/hooks/pre-commit': `#!/bin/sh\n${touch('hook-pre-commit')}\n`,
    '.git/hooks/post-commit': `#!/bin/sh\n${touch('hook-post-commit')}\n`,
    '.git/hooks/pre-push': `#!/bin/sh\n${touch('hook-pre-push')}\n`,
    'sub/.git/config': `[filter "x"]\n\tclean = "${touch('nested-filter')}; cat"\n`,
    '.gitattributes': '* filter=x\n*.md filter=y\n',
    'README.md': '# hello\n',
  };
}

describe('publish:git with a skeleton that carries .git configuration', () => {
  let root: string;
  let markers: string;
  let paths: ReturnType<typeof scaffolderPaths>;

  beforeEach(async () => {
    root = await tempRoot();
    roots.push(root);
    markers = path.join(root, 'markers');
    await fs.mkdir(markers);
    const included = path.join(root, 'included.config');
    await fs.writeFile(included, `[filter "y"]\n\tclean = "touch ${path.join(markers, 'include-filter')}; cat"\n`);
    await writeTree(path.join(root, 'template'), {
      'template.yaml': 'x',
      ...Object.fromEntries(Object.entries(hostileGitFiles(markers, included)).map(([k, v]) => [`skeleton/${k}`, v])),
    });
    for (const hook of ['pre-commit', 'post-commit', 'pre-push']) await fs.chmod(path.join(root, 'template/skeleton/.git/hooks', hook), 0o755);
    paths = scaffolderPaths(path.join(root, 'data'));
  });

  async function run(steps: TaskStep[], workspacePath?: string): Promise<{ log: string[]; error?: Error }> {
    const registry = new ActionRegistry();
    for (const a of [...fetchActions, ...fsActions]) registry.register(a);
    registry.register(
      createPublishGitAction({
        fileRemoteRoots: [paths.repos],
        workDir: paths.work,
        allowPrivateNetworks: false,
        defaultAuthor: { name: 't', email: 't@example.com' },
        defaultCommitMessage: 'init',
        timeoutMs: 30_000,
      }),
    );
    const workspace = workspacePath ?? path.join(root, 'ws');
    await fs.mkdir(workspace, { recursive: true });
    const spec: TaskSpec = {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      steps,
      output: {},
      parameters: {},
      user: { ref: 'user:default/t' },
      templateInfo: { entityRef: 'template:default/t' },
    };
    const log: string[] = [];
    try {
      await runSteps({
        taskId: 't',
        spec,
        secrets: {},
        workspacePath: workspace,
        workDir: paths.work,
        isDryRun: false,
        signal: new AbortController().signal,
        registry,
        sources: new TemplateSources({ type: 'file', path: path.join(root, 'template/template.yaml') }, defaultSourceSettings(paths.gitCache)),
        catalog: undefined as never,
        stepTimeoutMs: 60_000,
        async emit(body: TaskEventBody) {
          log.push(body.message);
        },
      });
      return { log };
    } catch (error) {
      return { log, error: error as Error };
    }
  }

  const pushedFiles = (bare: string) => execFileSync('git', ['--git-dir', bare, 'ls-tree', '-r', '--name-only', 'main']).toString().trim().split('\n').sort();

  it('fetch:plain leaves out every .git entry, and publishing runs none of the payloads', async () => {
    const result = await run([
      { id: 'fetch', name: 'fetch', action: 'fetch:plain', input: { url: './skeleton' } },
      { id: 'publish', name: 'publish', action: 'publish:git', input: { repoUrl: 'hostile.git' } },
    ]);
    expect(result.error).toBeUndefined();
    expect(await fs.readdir(markers)).toEqual([]);
    expect(pushedFiles(path.join(paths.repos, 'hostile.git'))).toEqual(['.gitattributes', 'README.md']);
  });

  it('fetch:template leaves out .git entries too', async () => {
    const result = await run([
      { id: 'fetch', name: 'fetch', action: 'fetch:template', input: { url: './skeleton' } },
      { id: 'publish', name: 'publish', action: 'publish:git', input: { repoUrl: 'templated.git' } },
    ]);
    expect(result.error).toBeUndefined();
    expect(await fs.readdir(markers)).toEqual([]);
    expect(pushedFiles(path.join(paths.repos, 'templated.git'))).toEqual(['.gitattributes', 'README.md']);
  });

  it('publish:git ignores a .git folder already in the work tree: it commits with its own git dir', async () => {
    const workspace = path.join(root, 'ws-preloaded');
    await writeTree(workspace, hostileGitFiles(markers, path.join(root, 'included.config')));
    for (const hook of ['pre-commit', 'post-commit', 'pre-push']) await fs.chmod(path.join(workspace, '.git/hooks', hook), 0o755);
    const result = await run([{ id: 'publish', name: 'publish', action: 'publish:git', input: { repoUrl: 'preloaded.git' } }], workspace);
    expect(result.error).toBeUndefined();
    expect(await fs.readdir(markers)).toEqual([]);
    expect(pushedFiles(path.join(paths.repos, 'preloaded.git'))).toEqual(['.gitattributes', 'README.md']);
    // Our git dir lived outside the work tree and is gone.
    expect(await fs.readdir(paths.work)).toEqual([]);
  });

  it('no step may write git metadata into the workspace', async () => {
    for (const step of [
      { id: 'file', name: 'file', action: 'fetch:plain:file', input: { url: './skeleton/README.md', targetPath: '.git/config' } },
      { id: 'file2', name: 'file2', action: 'fetch:plain:file', input: { url: './skeleton/README.md', targetPath: 'sub/.GIT/hooks/pre-commit' } },
      { id: 'tpl', name: 'tpl', action: 'fetch:template', input: { url: './skeleton', targetPath: '.git' } },
    ]) {
      const result = await run([step], path.join(root, `ws-${step.id}`));
      expect(result.error?.message, step.id).toMatch(/git metadata/);
    }
    await writeTree(path.join(root, 'ws-rename'), { 'config.txt': 'x' });
    const rename = await run(
      [{ id: 'mv', name: 'mv', action: 'fs:rename', input: { files: [{ from: 'config.txt', to: '.git/config' }] } }],
      path.join(root, 'ws-rename'),
    );
    expect(rename.error?.message).toMatch(/git metadata/);
  });

  it('refuses remotes on loopback and private addresses in every syntax; nothing reaches a local listener', async () => {
    const connections: string[] = [];
    const server = net.createServer((socket) => {
      connections.push(String(socket.remoteAddress));
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      for (const repoUrl of [
        `http://127.0.0.1:${port}/x.git`,
        `https://localhost:${port}/x.git`,
        `http://LOCALHOST.:${port}/x.git`,
        `http://2130706433:${port}/x.git`,
        `http://[::ffff:127.0.0.1]:${port}/x.git`,
        `git://127.0.0.1:${port}/x.git`,
        `ssh://x@127.0.0.1:${port}/x.git`,
        'x@127.0.0.1:repo',
        '[x@127.0.0.1]:repo',
        'git@10.0.0.1:team/app.git',
        'ext::sh%20-c%20touch%20/tmp/pwned',
      ]) {
        const result = await run([{ id: 'publish', name: 'publish', action: 'publish:git', input: { repoUrl } }], path.join(root, 'ws-ssrf'));
        expect(result.error?.message, repoUrl).toMatch(/^publish:git: Refusing/);
      }
      expect(connections).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('publishes only inside the publish roots', async () => {
    for (const repoUrl of ['file:///tmp/anywhere.git', `file://${root}/outside.git`, '../escape.git', `file://${paths.repos}/../x.git`]) {
      const result = await run([{ id: 'publish', name: 'publish', action: 'publish:git', input: { repoUrl } }], path.join(root, 'ws-roots'));
      expect(result.error?.message, repoUrl).toMatch(/outside the allowed roots|must be absolute/);
    }
    await fs.mkdir(paths.repos, { recursive: true });
    await fs.symlink('/tmp', path.join(paths.repos, 'link'));
    const viaLink = await run([{ id: 'publish', name: 'publish', action: 'publish:git', input: { repoUrl: 'link/x.git' } }], path.join(root, 'ws-link'));
    expect(viaLink.error?.message).toMatch(/outside the allowed roots/);
  });
});
