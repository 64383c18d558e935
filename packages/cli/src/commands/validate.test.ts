import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const tsx = path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
const entry = path.join(repoRoot, 'packages/cli/src/dev.ts');

function validate(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [tsx, '--conditions=source', entry, 'validate', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-validate-'));
  fs.mkdirSync(path.join(dir, 'svc'));
  fs.writeFileSync(
    path.join(dir, 'svc/catalog-info.yaml'),
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n',
  );
  fs.writeFileSync(
    path.join(dir, 'bad.yaml'),
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ok\nspec:\n  type: service\n  owner: team-a\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: "no good"\nspec:\n  type: service\n  lifecycle: x\n  owner: team-a\n',
  );
  fs.writeFileSync(path.join(dir, 'broken.yaml'), 'kind: Component\nmetadata: [\n');
  fs.writeFileSync(
    path.join(dir, 'app-config.yaml'),
    'catalog:\n  kinds:\n    - apiVersion: acme.io/v1\n      kind: Pipeline\n      specSchema:\n        type: object\n        required: [owner]\n        properties:\n          owner: { type: string }\n',
  );
  fs.writeFileSync(path.join(dir, 'pipeline.yaml'), 'apiVersion: acme.io/v1\nkind: Pipeline\nmetadata:\n  name: deploy\nspec: {}\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('atrium validate', () => {
  it('accepts valid files found by a glob and exits 0', () => {
    const r = validate(dir, 'svc/**/catalog-info.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 file(s), 1 valid entity, 0 problem(s)');
  });

  it('prints file:line:column: message for each problem and exits 1', () => {
    const r = validate(dir, 'bad.yaml', 'broken.yaml');
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain('bad.yaml:5:1: spec.lifecycle is required');
    expect(lines.some((l) => /^bad\.yaml:12:\d+: metadata\.name "no good" is not valid/.test(l))).toBe(true);
    expect(lines.some((l) => /^broken\.yaml:\d+:\d+: /.test(l))).toBe(true);
  });

  it('validates custom kinds declared in app-config', () => {
    const r = validate(dir, '--format', 'json', 'pipeline.yaml');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.valid).toBe(false);
    expect(out.problems).toEqual([expect.objectContaining({ file: 'pipeline.yaml', field: 'spec.owner', message: expect.stringContaining('required') })]);
  });

  it('reports a pattern that matches nothing, and usage errors', () => {
    expect(validate(dir, 'nothing/*.yaml').stdout).toMatch(/nothing\/\*\.yaml:1:1: no such file/);
    expect(validate(dir).code).toBe(2);
    expect(validate(dir, '--format', 'xml', 'bad.yaml').code).toBe(2);
  });
});
