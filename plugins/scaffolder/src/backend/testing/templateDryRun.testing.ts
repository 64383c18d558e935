import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAll } from 'js-yaml';
import pino from 'pino';
import { expect } from 'vitest';
import type { CatalogService } from '@atrium/plugin-catalog/common';
import type { JsonObject } from '../../common/index.js';
import { createBuiltinRegistry } from '../actions/builtin.js';
import type { ScaffolderConfig } from '../config.js';
import { preflight, StepValidationError } from '../engine.js';
import { scaffolderPaths, type ScaffolderPaths } from '../paths.js';
import { TaskRunner, type RunnerDeps } from '../runner.js';
import type { TaskStore } from '../tasks/taskStore.js';
import { assertRunnableTemplate, buildTaskSpec, parameterPages } from '../templates.js';

/**
 * What the template corpus tests prove, for any folder of Backstage-format templates (the
 * outside corpus beside CI's checkout, or the samples this repository ships): each template
 * parses, pre-v1beta3 ones are refused by name, third-party actions are refused before
 * anything runs (naming the step), and the rest dry-run against their own folder with every
 * skeleton file copied and every `${{ values.x }}` / `{{ cookiecutter.x }}` rendered.
 */

/** A plausible value for each form field, so required fields and pickers are filled. */
export function sampleValues(pages: JsonObject[]): JsonObject {
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

/** Answers every ref with a plausible entity, so catalog:fetch steps have something to read. */
export const fakeCatalog = {
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

/** A runner with the built-in actions and a throw-away data directory. */
export async function dryRunHarness(): Promise<{
  runner: TaskRunner;
  registry: ReturnType<typeof createBuiltinRegistry>;
  paths: ScaffolderPaths;
  cleanup(): Promise<void>;
}> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'atrium-scaffolder-dryrun-'));
  const paths = scaffolderPaths(dataDir);
  const registry = createBuiltinRegistry({
    publish: {
      fileRemoteRoots: [paths.repos],
      workDir: paths.work,
      allowPrivateNetworks: false,
      defaultAuthor: { name: 'x', email: 'x@x' },
      defaultCommitMessage: 'x',
      timeoutMs: 1000,
    },
    httpAllowPrivateNetworks: false,
  });
  // Dry runs record nothing: no database, no claims, no waits.
  const runner = new TaskRunner({
    store: {} as TaskStore,
    registry,
    catalog: fakeCatalog,
    config,
    logger: pino({ level: 'silent' }),
    paths,
    db: {} as RunnerDeps['db'],
    workerId: 'dry-run',
    waits: {} as RunnerDeps['waits'],
  });
  return { runner, registry, paths, cleanup: () => fs.rm(dataDir, { recursive: true, force: true }) };
}

async function listDir(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.relative(dir, path.join(e.parentPath, e.name)));
  }
  return out;
}

/** How one template folder fared; the checks run inside (vitest expect). */
export type Outcome = 'dry-run' | 'not-yaml' | 'old-api-version' | 'third-party-actions' | 'known-failure';

/**
 * Checks one template folder. `knownFailure` is the reason a template is expected to fail its
 * dry run here (e.g. it fetches from the network), matched against the failed steps' messages.
 */
export async function checkTemplateFolder(
  dir: string,
  harness: Awaited<ReturnType<typeof dryRunHarness>>,
  options: { knownFailure?: RegExp; notYaml?: RegExp } = {},
): Promise<Outcome> {
  const file = (await fs.readdir(dir)).find((f) => f.endsWith('.yaml') && f !== 'cookiecutter.json')!;
  let doc: JsonObject | undefined;
  try {
    doc = (loadAll(await fs.readFile(path.join(dir, file), 'utf8')) as JsonObject[]).find((d) => d?.['kind'] === 'Template');
  } catch (e) {
    expect(options.notYaml, `${dir}: ${(e as Error).message}`).toBeDefined();
    expect((e as Error).message).toMatch(options.notYaml!);
    return 'not-yaml';
  }
  let template;
  try {
    template = assertRunnableTemplate(doc);
  } catch (e) {
    // Pre-v1beta3 templates (v1beta2, v1alpha1) are refused by name, as Backstage 1.x does.
    expect((e as Error).message).toMatch(/only scaffolder.backstage.io\/v1beta3 templates can run/);
    return 'old-api-version';
  }
  const spec = buildTaskSpec(template, sampleValues(parameterPages(template)), { ref: 'user:default/guest' });
  try {
    preflight(spec, harness.registry);
  } catch (e) {
    // Third-party actions (roadiehq:*, terasky:*, ...) are not installed: refused up front, naming the step.
    expect(e).toBeInstanceOf(StepValidationError);
    const unknown = (e as StepValidationError).errors.filter((x) => x.message.startsWith('unknown action'));
    expect(unknown.length).toBeGreaterThan(0);
    expect(unknown.every((x) => /^steps\.[^.]+\.action$/.test(x.path) && /unknown action "[a-z0-9-]+:/i.test(x.message))).toBe(true);
    return 'third-party-actions';
  }
  const result = await harness.runner.dryRun({ spec, secrets: {}, templateLocation: `file:${path.join(dir, file)}` });
  const failures = result.log.filter((l) => l.body.status === 'failed').map((l) => l.body.message);
  if (options.knownFailure) {
    expect(failures.join('\n')).toMatch(options.knownFailure);
    return 'known-failure';
  }
  expect(failures).toEqual([]);
  // Every skeleton a fetch step names shows up in the result.
  for (const step of spec.steps.filter((s) => ['fetch:template', 'fetch:cookiecutter', 'fetch:plain'].includes(s.action))) {
    const url = String(step.input?.['url'] ?? '');
    if (!url.startsWith('./')) continue;
    const expected = await listDir(path.join(dir, url));
    const names = result.directoryContents.map((f) => path.posix.basename(f.path));
    for (const f of expected) {
      const base = path.basename(f);
      if (!base.includes('{{')) expect(names, `${dir}: ${step.id} ${f}`).toContain(base);
    }
    expect(result.directoryContents.length).toBeGreaterThanOrEqual(expected.length);
  }
  // Templated names and contents are rendered.
  for (const f of result.directoryContents) {
    expect(f.path).not.toContain('${{');
    expect(f.path).not.toContain('{{');
    const text = Buffer.from(f.base64Content, 'base64').toString('utf8');
    if (!/\.github\/workflows/.test(f.path)) expect(text, f.path).not.toMatch(/\$\{\{\s*values\./);
    expect(text, f.path).not.toMatch(/\{\{\s*cookiecutter\./);
  }
  return 'dry-run';
}
