import { promises as fs } from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { withBranchCheckout, type BranchCheckoutOptions } from './git.js';

// The checkout both providers' pull/merge request actions start from. Its happy path runs in the
// actions' tests (against the fake GitHub and the fake GitLab's git smart HTTP); here: what it refuses
// before git runs, and that its scratch folder never outlives it.
const prefix = `git-helper-test-${process.pid}`;
const leftovers = async () => (await fs.readdir(os.tmpdir())).filter((n) => n.startsWith(`atrium-${prefix}-`));

const options = (over: Partial<BranchCheckoutOptions> = {}): BranchCheckoutOptions => ({
  prefix,
  // Nothing listens on port 1: a fetch fails at once.
  remoteUrl: 'http://127.0.0.1:1/acme/orders.git',
  targetBranch: 'main',
  branchName: 'atrium/change',
  auth: { timeoutMs: 10_000 },
  env: {},
  ...over,
});

describe('withBranchCheckout', () => {
  it('refuses option-like or invalid branch names and a remote that is not http(s), before anything runs', async () => {
    let used = false;
    const use = async () => {
      used = true;
    };
    await expect(withBranchCheckout(options({ branchName: '--upload-pack=touch /tmp/x' }), use)).rejects.toThrow(/^the new branch: .*starts with "-"/);
    await expect(withBranchCheckout(options({ targetBranch: '-c' }), use)).rejects.toThrow(/^the target branch: .*starts with "-"/);
    await expect(withBranchCheckout(options({ targetBranch: 'main..x' }), use)).rejects.toThrow(/^the target branch: .*"\.\."/);
    await expect(withBranchCheckout(options({ remoteUrl: '--upload-pack=x' }), use)).rejects.toThrow('the remote must be an http(s) URL');
    await expect(withBranchCheckout(options({ remoteUrl: 'file:///srv/git/orders.git' }), use)).rejects.toThrow('the remote must be an http(s) URL');
    expect(used).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it("names a failed fetch in the caller's words and removes its scratch folder", async () => {
    let used = false;
    await expect(
      withBranchCheckout(options({ fetchError: (e) => new Error(`targetBranchName main could not be fetched: ${(e as Error).message}`) }), async () => {
        used = true;
      }),
    ).rejects.toThrow(/^targetBranchName main could not be fetched: git fetch/);
    expect(used).toBe(false);
    expect(await leftovers()).toEqual([]);
  });
});
