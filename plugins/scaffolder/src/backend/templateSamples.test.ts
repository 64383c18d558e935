import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preflight } from './engine.js';
import { checkTemplateFolder, dryRunHarness, type Outcome } from './testing/templateDryRun.testing.js';
import { assertRunnableTemplate, buildTaskSpec } from './templates.js';

const SAMPLES = path.resolve(import.meta.dirname, 'testing/template-samples');

/** The corpus checks (corpus.test.ts) on templates this repository ships, so a fresh clone proves them too. */
describe('shipped template samples', () => {
  let harness: Awaited<ReturnType<typeof dryRunHarness>>;
  beforeAll(async () => {
    harness = await dryRunHarness();
  });
  afterAll(() => harness?.cleanup());

  const expected: Record<string, { outcome: Outcome; knownFailure?: RegExp; notYaml?: RegExp }> = {
    'service-skeleton': { outcome: 'dry-run' },
    'cookiecutter-docs': { outcome: 'dry-run' },
    'old-api-version': { outcome: 'old-api-version' },
    'third-party-action': { outcome: 'third-party-actions' },
    'outside-skeleton': { outcome: 'known-failure', knownFailure: /Step fetch failed: .*skeletons\/docs.*outside the allowed file roots/ },
    'unrendered-yaml': { outcome: 'not-yaml', notYaml: /complex keys/ },
  };

  it('covers every sample folder', async () => {
    const folders = (await fs.readdir(SAMPLES, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s', async (name, { outcome, ...options }) => {
    expect(await checkTemplateFolder(path.join(SAMPLES, name), harness, options)).toBe(outcome);
  });

  it('renders names, contents, verbatim CI files and cookiecutter skeletons as Backstage does', async () => {
    const dir = path.join(SAMPLES, 'service-skeleton');
    const template = assertRunnableTemplate(loadAll(await fs.readFile(path.join(dir, 'template.yaml'), 'utf8'))[0]);
    const spec = buildTaskSpec(
      template,
      { name: 'parcel-api', description: 'Parcels', owner: 'group:default/team-a', repoUrl: 'github.com?owner=acme&repo=parcels' },
      { ref: 'user:default/guest' },
    );
    preflight(spec, harness.registry);
    const result = await harness.runner.dryRun({ spec, secrets: {}, templateLocation: `file:${path.join(dir, 'template.yaml')}` });
    const text = (p: string) => Buffer.from(result.directoryContents.find((f) => f.path === p)!.base64Content, 'base64').toString('utf8');
    expect(result.directoryContents.map((f) => f.path).sort()).toEqual([
      '.github/workflows/ci.yaml',
      'README.md',
      'catalog-info.yaml',
      'parcel-api/main.js',
      'static/NOTICE.txt',
    ]);
    expect(loadAll(text('catalog-info.yaml'))[0]).toMatchObject({
      metadata: { name: 'parcel-api', description: 'Parcels', annotations: { 'github.com/project-slug': 'acme/parcels' } },
    });
    expect(text('.github/workflows/ci.yaml')).toContain('${{ github.sha }}');
    expect(text('static/NOTICE.txt')).toContain('${{ not rendered }}');
    expect(text('README.md')).toMatch(/# parcel-api\n+Parcels\n/);
    const messages = result.log.map((l) => l.body.message).join('\n');
    expect(messages).toMatch(/Skipping step publish \(publish:github\) in dry run/);
    expect(messages).toMatch(/Skipping step register \(catalog:register\) in dry run/);

    const docs = path.join(SAMPLES, 'cookiecutter-docs');
    const cc = assertRunnableTemplate(loadAll(await fs.readFile(path.join(docs, 'template.yaml'), 'utf8'))[0]);
    const ccResult = await harness.runner.dryRun({
      spec: buildTaskSpec(cc, { name: 'handbook', description: 'How we work' }, { ref: 'user:default/guest' }),
      secrets: {},
      templateLocation: `file:${path.join(docs, 'template.yaml')}`,
    });
    expect(ccResult.directoryContents.map((f) => f.path).sort()).toEqual(['handbook/docs/index.md', 'handbook/mkdocs.yml']);
    expect(Buffer.from(ccResult.directoryContents.find((f) => f.path === 'handbook/mkdocs.yml')!.base64Content, 'base64').toString()).toContain(
      'site_name: handbook',
    );
  });
});

describe('catalog-examples templates', () => {
  let harness: Awaited<ReturnType<typeof dryRunHarness>>;
  beforeAll(async () => {
    harness = await dryRunHarness();
  });
  afterAll(() => harness?.cleanup());
  const dir = path.resolve(import.meta.dirname, '../../../../catalog-examples/templates');

  it.each(['node-service', 'restart-service'])('%s dry-runs cleanly', async (name) => {
    const file = path.join(dir, name, 'template.yaml');
    const template = assertRunnableTemplate(loadAll(await fs.readFile(file, 'utf8'))[0]);
    const values =
      name === 'node-service'
        ? { name: 'parcel-api', owner: 'group:default/platform-team', system: 'system:default/storefront', tags: ['node'], description: 'Parcels: "fast"' }
        : { entity: 'component:default/orders-service', reason: 'stuck' };
    const spec = buildTaskSpec(template, values, { ref: 'user:default/guest' });
    preflight(spec, harness.registry);
    const result = await harness.runner.dryRun({ spec, secrets: {}, templateLocation: `file:${file}` });
    expect(result.log.filter((l) => l.body.status === 'failed')).toEqual([]);
    if (name === 'node-service') {
      const byPath = (p: string) => Buffer.from(result.directoryContents.find((f) => f.path === p)!.base64Content, 'base64').toString();
      expect(result.directoryContents.map((f) => f.path).sort()).toEqual([
        'README.md',
        'catalog-info.yaml',
        'docs/index.md',
        'mkdocs.yml',
        'package.json',
        'src/index.js',
      ]);
      const info = loadAll(byPath('catalog-info.yaml'))[0] as { metadata: { name: string; description: string; tags: string[] }; spec: { system: string } };
      expect(info.metadata).toMatchObject({ name: 'parcel-api', description: 'Parcels: "fast"', tags: ['node'] });
      expect(info.spec.system).toBe('system:default/storefront');
      expect(JSON.parse(byPath('package.json'))).toMatchObject({ name: 'parcel-api', description: 'Parcels: "fast"' });
    }
  });
});
