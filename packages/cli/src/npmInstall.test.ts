import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8'));

// npm 11 skips dependencies' install scripts that package.json's `allowScripts` does not list and
// ends `npm install` with a warning a newcomer cannot act on. Every package of the lock file
// that has an install script is decided here.
describe('npm install', () => {
  it('has a decision in allowScripts for every locked package with an install script', () => {
    const lock = read('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean; version?: string }> };
    const allow = (read('package.json') as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([key, p]) => ({ name: key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length), version: p.version }));
    expect(withScripts.length).toBeGreaterThan(0);
    const undecided = withScripts.filter(({ name, version }) => allow[name] === undefined && allow[`${name}@${version}`] === undefined);
    expect(undecided).toEqual([]);
  });
});
