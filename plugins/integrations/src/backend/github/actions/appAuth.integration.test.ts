import crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeGitHubApi, type FakeGitHubApi } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubActionSettings, GitHubHost } from './common.js';
import { githubActions } from './index.js';

/** The actions acting as a GitHub App: its installation on the owner is looked up, and its installation token pushes. */
describe('GitHub actions with GitHub App credentials', () => {
  let gh: FakeGitHubApi;
  let workspace: string;
  let host: GitHubHost;
  const keys = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });

  beforeAll(async () => {
    gh = await startFakeGitHubApi();
    gh.addApp({ appId: 31, slug: 'atrium-scaffolder', publicKey: keys.publicKey, installations: [{ id: 310, account: 'acme' }] });
    gh.addOrg('acme');
    gh.addOrg('elsewhere');
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'atrium-github-app-'));
    await fs.writeFile(path.join(workspace, 'catalog-info.yaml'), 'kind: Component\nmetadata: { name: billing }\n');
    host = { host: 'ghe.example.com', apiBaseUrl: `${gh.url}/api/v3`, apps: [{ appId: 31, privateKey: keys.privateKey }], guarded: false };
  });
  afterAll(async () => {
    await gh?.stop();
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  const settings: GitHubActionSettings = { hosts: async () => [host], assertOutbound: async () => {} };
  const action = (id: string) => githubActions(settings).find((a) => a.id === id)!;
  const context = (input: Record<string, unknown>) => {
    const output: Record<string, unknown> = {};
    const logs: string[] = [];
    const log = (m: string) => void logs.push(m);
    return {
      output,
      logs,
      ctx: {
        input,
        workspacePath: workspace,
        logger: { info: log, warn: log, error: log },
        output: (k: string, v: unknown) => (output[k] = v),
        isDryRun: false,
        signal: new AbortController().signal,
      },
    };
  };

  it('publish:github creates and pushes as the app’s installation on the owner', async () => {
    const { ctx, output } = context({ repoUrl: 'ghe.example.com?owner=acme&repo=billing', defaultBranch: 'main', protectDefaultBranch: false });
    await action('publish:github').handler(ctx as never);
    expect(gh.repoState('acme', 'billing').files).toEqual({ 'catalog-info.yaml': 'kind: Component\nmetadata: { name: billing }\n' });
    expect(output['commitHash']).toMatch(/^[0-9a-f]{40}$/);
  });

  it('an owner the app is not installed on is named in the error; the dry run contacts nothing', async () => {
    const before = gh.served.length;
    const dry = context({ repoUrl: 'ghe.example.com?owner=acme&repo=dry', defaultBranch: 'main' });
    await action('publish:github').handler({ ...dry.ctx, isDryRun: true } as never);
    expect(dry.output['repoContentsUrl']).toBe(`${gh.url}/acme/dry/blob/main`);
    expect(gh.served.length).toBe(before);

    const { ctx } = context({ repoUrl: 'ghe.example.com?owner=elsewhere&repo=x' });
    await expect(action('github:repo:create').handler(ctx as never)).rejects.toThrow(/can act on elsewhere \(app 31: not installed on elsewhere\)/);
  });
});
