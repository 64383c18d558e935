import { promises as fs } from 'node:fs';
import path from 'node:path';
import { definePlugin } from '@atrium/backend-plugin-api';
import type { Entity } from '@atrium/catalog-model';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import type { LocationError, LocationStatus } from '@atrium/plugin-catalog/common';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplateAction } from './actions/types.js';
import { scaffolderPlugin } from './plugin.js';
import { scaffolderActionsRef } from './scaffolderService.js';
import { tempRoot, writeTree } from './testing/fixtures.js';

const template = (name: string, steps: string) => `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: ${name}
spec:
  type: service
  owner: group:default/team-a
  parameters:
    - properties:
        pr: { type: string }
  steps:
${steps}`;

// bad.yaml: the steps' fields are at these lines.
const bad = template(
  'bad-steps',
  `    - id: hello
      action: debug:log
      input: { message: hi }
    - id: later
      action: wait:until
      input:
        duration: soon
    - id: merge
      action: wait:forever
    - id: deploy
      action: acme:deploy
`,
);
const LINES = { laterDuration: 18, mergeAction: 20, deployAction: 22 };

const good = template(
  'good-steps',
  `    - id: hello
      action: debug:log
      input: { message: hi }
    - id: merged
      action: wait:pull-request
      input: { url: '\${{ parameters.pr }}', pollInterval: 30 }
`,
);

// Uses an action a plugin registers only after the backend has started.
const late = template(
  'late-action',
  `    - id: go
      action: late:action
      input: { target: prod }
`,
);

/** Registers `late:action` when the test says so, as a plugin might long after start-up. */
let registerLateAction: (() => void) | undefined;
const lateActionPlugin = definePlugin<unknown, { scaffolder: typeof scaffolderActionsRef }>({
  id: 'late-action-test',
  deps: { scaffolder: scaffolderActionsRef },
  setup({ deps }) {
    registerLateAction = () =>
      deps.scaffolder.registerAction(
        createTemplateAction<{ target: string }>({
          id: 'late:action',
          schema: { input: { type: 'object', required: ['target'], properties: { target: { type: 'string' } } } },
          async handler() {},
        }),
      );
  },
});

describe.each(testDatabaseKinds())('templates checked when registered in the catalog (%s)', (database) => {
  let backend: TestBackend;
  let root: string;

  beforeAll(async () => {
    root = await tempRoot();
    await writeTree(root, { 'bad.yaml': bad, 'good.yaml': good, 'late.yaml': late });
    backend = await startTestBackend({
      plugins: [catalogPlugin, scaffolderPlugin, lateActionPlugin],
      database,
      config: {
        catalog: { processingPollMs: 100, readers: { fileRoots: [root] } },
        scaffolder: { pollMs: 50, publish: { fileRoots: [root] } },
      },
    });
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  const register = async (file: string) => {
    const r = await backend.json<{ location: { id: string } }>('/api/catalog/locations', {
      method: 'POST',
      body: { type: 'file', target: path.join(root, file) },
    });
    expect(r.status).toBe(201);
    return r.body.location.id;
  };
  const entity = async (name: string) => (await backend.json<Entity>(`/api/catalog/entities/by-name/template/default/${name}`)).body;
  const processingErrors = (e: Entity) =>
    (e.status?.items ?? [])
      .filter((i) => i.type === 'backstage.io/catalog-processing')
      .map((i) => i.error as { message: string; field?: string; line?: number });
  const locationErrors = async (id: string) => (await backend.json<LocationStatus>(`/api/catalog/locations/${id}/status`)).body.errors;

  it('a template whose steps cannot run is flagged on its entity and among its location’s errors, naming step, field and line', async () => {
    const id = await register('bad.yaml');
    // The scaffolder adds its check once every plugin has started. A read that began before that
    // flags the template without its fields' lines (line 1) and asks for the location to be read
    // again, which then names each field's line: wait for that final state.
    const errors = await waitFor(
      async () => {
        const found = processingErrors(await entity('bad-steps'));
        return found.length >= 3 && found.every((e: { line?: number }) => (e.line ?? 1) > 1) ? found : false;
      },
      { timeoutMs: 30_000, message: 'the bad template shows no processing errors' },
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'spec.steps[1].input.duration',
          line: LINES.laterDuration,
          message: expect.stringMatching(/^Step "later", input\.duration: must be seconds or an ISO 8601 duration/),
        }),
        expect.objectContaining({
          field: 'spec.steps[2].action',
          line: LINES.mergeAction,
          message: expect.stringMatching(/^Step "merge", action: unknown wait action "wait:forever"/),
        }),
        expect.objectContaining({ field: 'spec.steps[3].action', line: LINES.deployAction, message: 'Step "deploy", action: unknown action "acme:deploy"' }),
      ]),
    );
    expect(errors).toHaveLength(3);
    // The location's errors are written when its read finishes, just after the entity's.
    const listed = await waitFor(
      async () => {
        const mine = (await locationErrors(id)).filter((e: LocationError) => e.entityRef === 'template:default/bad-steps');
        return mine.length >= 3 && mine.every((e) => (e.line ?? 1) > 1) ? mine : false;
      },
      { timeoutMs: 30_000, message: "the location's errors do not name the fields' lines" },
    );
    expect(listed.map((e) => [e.field, e.line, e.file])).toEqual([
      ['spec.steps[1].input.duration', LINES.laterDuration, path.join(root, 'bad.yaml')],
      ['spec.steps[2].action', LINES.mergeAction, path.join(root, 'bad.yaml')],
      ['spec.steps[3].action', LINES.deployAction, path.join(root, 'bad.yaml')],
    ]);
    // Running it is still refused before anything runs.
    const run = await backend.json<{ error: { message: string } }>('/api/scaffolder/v2/tasks', {
      method: 'POST',
      body: { templateRef: 'template:default/bad-steps', values: {} },
    });
    expect(run.status).toBe(400);
  });

  it('a dry run of the location (the register page’s preview) refuses it with the same errors', async () => {
    const r = await backend.json<{ error: { message: string; details: { errors: LocationError[] } } }>('/api/catalog/locations?dryRun=true', {
      method: 'POST',
      body: { type: 'file', target: path.join(root, 'bad.yaml') },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain(`Step "deploy", action: unknown action "acme:deploy" (${path.join(root, 'bad.yaml')}:${LINES.deployAction})`);
  });

  it('POST /validate-entity refuses it too, naming each field', async () => {
    await waitFor(async () => processingErrors(await entity('bad-steps')).length > 0, { timeoutMs: 30_000 });
    const validate = (text: string) =>
      backend.json<{ errors: Array<{ name: string; message: string; field?: string }> }>('/api/catalog/validate-entity', {
        method: 'POST',
        body: { entity: load(text), location: `file:${path.join(root, 'x.yaml')}` },
      });
    const r = await validate(bad);
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e) => e.field)).toEqual(['spec.steps[1].input.duration', 'spec.steps[2].action', 'spec.steps[3].action']);
    expect((await validate(good)).status).toBe(200);
  });

  it('a template whose steps can run has no processing error', async () => {
    const id = await register('good.yaml');
    await waitFor(async () => (await entity('good-steps'))?.metadata?.name === 'good-steps', { timeoutMs: 30_000 });
    // Checked too: the bad template in another location was flagged by then.
    await waitFor(async () => processingErrors(await entity('bad-steps')).length > 0, { timeoutMs: 30_000 });
    expect(processingErrors(await entity('good-steps'))).toEqual([]);
    expect(await locationErrors(id)).toEqual([]);
  });

  it('an action registered later clears the error of a template using it', async () => {
    await register('late.yaml');
    await waitFor(async () => processingErrors(await entity('late-action')).some((e) => e.message === 'Step "go", action: unknown action "late:action"'), {
      timeoutMs: 30_000,
      message: 'the template using an action no plugin registered yet is not flagged',
    });
    registerLateAction!();
    // The scaffolder asks the catalog to read the locations holding templates again.
    await waitFor(async () => processingErrors(await entity('late-action')).length === 0, { timeoutMs: 30_000, message: 'the error stayed' });
  });
});
