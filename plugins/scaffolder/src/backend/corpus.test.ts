import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadAll } from 'js-yaml';
import pino from 'pino';
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import type { CatalogService } from '@atrium/plugin-catalog/common';
import type { JsonObject } from '../common/index.js';
import { createBuiltinRegistry } from './actions/builtin.js';
import type { ScaffolderConfig } from './config.js';
import { scaffolderPaths } from './paths.js';
import { preflight, StepValidationError } from './engine.js';
import { TaskRunner } from './runner.js';
import type { TaskStore } from './tasks/taskStore.js';
import { assertRunnableTemplate, buildTaskSpec, parameterPages } from './templates.js';

/** A throw-away data directory standing in for the host's. */
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'atrium-scaffolder-corpus-'));
const paths = scaffolderPaths(dataDir);
afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

const CORPUS = path.resolve(import.meta.dirname, '../../../../../shared/corpus/templates');

/** A plausible value for each form field, so required fields and pickers are filled. */
function sampleValues(pages: JsonObject[]): JsonObject {
  const values: JsonObject = {};
  for (const page of pages) {
    for (const [name, raw] of Object.entries((page['properties'] ?? {}) as Record<string, JsonObject>)) {
      const prop = raw ?? {};
      if (prop['default'] !== undefined) values[name] = prop['default'];
      else if (prop['ui:field'] === 'RepoUrlPicker') values[name] = 'github.com?owner=acme&repo=sample-repo';
      else if (prop['ui:field'] === 'OwnerPicker' || prop['ui:field'] === 'EntityPicker') values[name] = 'group:default/team-a';
      else if (Array.isArray(prop['enum'])) values[name] = prop['enum'][0];
      else if (prop['type'] === 'boolean') values[name] = true;
      else if (prop['type'] === 'array') values[name] = ['sample'];
      else if (prop['type'] === 'number' || prop['type'] === 'integer') values[name] = 1;
      else if (prop['type'] === 'object') values[name] = {};
      else values[name] = 'sample-name';
    }
  }
  return values;
}

const fakeCatalog = {
  async getEntityByRef(ref: string) {
    const [kind, rest] = String(ref).split(':');
    const [namespace, name] = (rest ?? '').split('/');
    return { apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name, namespace }, spec: { owner: 'group:default/team-a', type: 'service' } };
  },
  async getEntitiesByRefs(refs: string[]) {
    return Promise.all(refs.map((r) => fakeCatalog.getEntityByRef(r)));
  },
} as unknown as CatalogService;

const config = {
  stepTimeoutSeconds: 30,
  logs: { maxEventsPerTask: 2000, maxMessageLength: 8000 },
  readers: { fileRoots: [], allowPrivateNetworks: false, maxBytes: 10 * 1024 * 1024 },
} as unknown as ScaffolderConfig;

async function listDir(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.relative(dir, path.join(e.parentPath, e.name)));
  }
  return out;
}

/**
 * Templates whose dry run cannot succeed here, with the reason it reports:
 * - pull-request fetches a skeleton from github.com (translated to a git fetch; no network in CI).
 * - janus techdocs reads ../../../skeletons from its upstream monorepo, which the corpus does not include.
 */
const KNOWN_FAILURES: Record<string, RegExp> = {
  'backstage__software-templates__pull-request': /(Cannot fetch "main" from|Cannot resolve host github\.com of git repository) https:\/\/github\.com\/backstage\/community\.git/,
  'janus-idp__software-templates__techdocs': /skeletons\/catalog-info.*outside the allowed file roots/,
};

const entries = (await fs.readdir(CORPUS).catch(() => [] as string[])).sort();

describe('Backstage template corpus', () => {
  it('is present', () => {
    expect(entries.length).toBeGreaterThan(5);
  });

  const registry = createBuiltinRegistry({
    store: {} as TaskStore,
    publish: { fileRemoteRoots: [], workDir: paths.work, allowPrivateNetworks: false, defaultAuthor: { name: 'x', email: 'x@x' }, defaultCommitMessage: 'x', timeoutMs: 1000 },
    httpAllowPrivateNetworks: false,
  });
  const runner = new TaskRunner({ store: {} as TaskStore, registry, catalog: fakeCatalog, config, logger: pino({ level: 'silent' }), paths });

  it.each(entries)('%s: dry-runs or is refused with a clear reason', async (entry) => {
    const dir = path.join(CORPUS, entry);
    const file = (await fs.readdir(dir)).find((f) => f.endsWith('.yaml') && f !== 'cookiecutter.json')!;
    let doc: JsonObject | undefined;
    try {
      doc = (loadAll(await fs.readFile(path.join(dir, file), 'utf8')) as JsonObject[]).find((d) => d?.['kind'] === 'Template');
    } catch (e) {
      // awslabs/harmonix ships `- {{ gitlab_hostname }}` for its build to replace: not YAML as published.
      expect(entry).toBe('awslabs__harmonix__aws-rds-resource');
      expect((e as Error).message).toMatch(/complex keys/);
      return;
    }
    let template;
    try {
      template = assertRunnableTemplate(doc);
    } catch (e) {
      // Pre-v1beta3 templates (v1beta2, v1alpha1) are refused by name, as Backstage 1.x does.
      expect((e as Error).message).toMatch(/only scaffolder.backstage.io\/v1beta3 templates can run/);
      return;
    }
    const values = sampleValues(parameterPages(template));
    const spec = buildTaskSpec(template, values, { ref: 'user:default/guest' });
    try {
      preflight(spec, registry);
    } catch (e) {
      // Third-party actions (roadiehq:*, terasky:*, harmonix:*) are not installed: refused up front, naming the step.
      expect(e).toBeInstanceOf(StepValidationError);
      const unknown = (e as StepValidationError).errors.filter((x) => x.message.startsWith('unknown action'));
      expect(unknown.length).toBeGreaterThan(0);
      expect(unknown.every((x) => /unknown action "(roadiehq|terasky|harmonix):/.test(x.message))).toBe(true);
      return;
    }
    const result = await runner.dryRun({ spec, secrets: {}, templateLocation: `file:${path.join(dir, file)}` });
    const failures = result.log.filter((l) => l.body.status === 'failed').map((l) => l.body.message);
    const known = KNOWN_FAILURES[entry];
    if (known) {
      expect(failures.join('\n')).toMatch(known);
      return;
    }
    expect(failures).toEqual([]);
    // Every skeleton a fetch step names shows up in the result.
    for (const step of spec.steps.filter((s) => ['fetch:template', 'fetch:cookiecutter', 'fetch:plain'].includes(s.action))) {
      const url = String(step.input?.['url'] ?? '');
      if (!url.startsWith('./')) continue;
      const expected = await listDir(path.join(dir, url));
      const names = result.directoryContents.map((f) => path.posix.basename(f.path));
      for (const file of expected) {
        const base = path.basename(file);
        if (!base.includes('{{')) expect(names, `${entry}: ${step.id} ${file}`).toContain(base);
      }
      expect(result.directoryContents.length).toBeGreaterThanOrEqual(expected.length);
    }
    // Templated names and contents are rendered.
    for (const f of result.directoryContents) {
      expect(f.path).not.toContain('${{');
      const text = Buffer.from(f.base64Content, 'base64').toString('utf8');
      if (!/\.github\/workflows/.test(f.path)) expect(text, f.path).not.toMatch(/\$\{\{\s*values\./);
      expect(text, f.path).not.toMatch(/\{\{\s*cookiecutter\./);
    }
  });
});

describe('catalog-examples templates', () => {
  const registry = createBuiltinRegistry({
    store: {} as TaskStore,
    publish: { fileRemoteRoots: [], workDir: paths.work, allowPrivateNetworks: false, defaultAuthor: { name: 'x', email: 'x@x' }, defaultCommitMessage: 'x', timeoutMs: 1000 },
    httpAllowPrivateNetworks: false,
  });
  const runner = new TaskRunner({ store: {} as TaskStore, registry, catalog: fakeCatalog, config, logger: pino({ level: 'silent' }), paths });
  const dir = path.resolve(import.meta.dirname, '../../../../catalog-examples/templates');

  it.each(['node-service', 'restart-service'])('%s dry-runs cleanly', async (name) => {
    const file = path.join(dir, name, 'template.yaml');
    const template = assertRunnableTemplate(loadAll(await fs.readFile(file, 'utf8'))[0]);
    const values = name === 'node-service'
      ? { name: 'parcel-api', owner: 'group:default/platform-team', system: 'system:default/storefront', tags: ['node'], description: 'Parcels: "fast"' }
      : { entity: 'component:default/orders-service', reason: 'stuck' };
    const spec = buildTaskSpec(template, values, { ref: 'user:default/guest' });
    preflight(spec, registry);
    const result = await runner.dryRun({ spec, secrets: {}, templateLocation: `file:${file}` });
    expect(result.log.filter((l) => l.body.status === 'failed')).toEqual([]);
    if (name === 'node-service') {
      const byPath = (p: string) => Buffer.from(result.directoryContents.find((f) => f.path === p)!.base64Content, 'base64').toString();
      expect(result.directoryContents.map((f) => f.path).sort()).toEqual(['README.md', 'catalog-info.yaml', 'docs/index.md', 'mkdocs.yml', 'package.json', 'src/index.js']);
      const info = loadAll(byPath('catalog-info.yaml'))[0] as { metadata: { name: string; description: string; tags: string[] }; spec: { system: string } };
      expect(info.metadata).toMatchObject({ name: 'parcel-api', description: 'Parcels: "fast"', tags: ['node'] });
      expect(info.spec.system).toBe('system:default/storefront');
      expect(JSON.parse(byPath('package.json'))).toMatchObject({ name: 'parcel-api', description: 'Parcels: "fast"' });
    }
  });
});
