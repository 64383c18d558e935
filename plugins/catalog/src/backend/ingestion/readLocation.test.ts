import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CustomKindDefinition } from '@atrium/catalog-model';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { readLocation } from './readLocation.js';
import { component, tempDir, writeTree, removeTempDirs } from './testUtils.js';
import type { IngestionOptions } from './types.js';

afterAll(removeTempDirs);

let root: string;
let options: IngestionOptions;

beforeEach(async () => {
  root = await tempDir();
  options = { fileRoots: [root] };
});

const file = (rel: string) => ({ type: 'file' as const, target: path.join(root, rel) });

describe('readLocation: file locations', () => {
  it('turns a descriptor into a valid entity with defaults, annotations and forward relations', async () => {
    await writeTree(root, {
      'svc/catalog-info.yaml': `# my service
${component('my-svc', '  system: payments\n  dependsOn:\n    - resource:db\n  providesApis: [pay-api]')}`,
    });
    const result = await readLocation(file('svc/catalog-info.yaml'), {
      ...options,
      originLocation: { type: 'file', target: path.join(root, 'root.yaml') },
    });
    expect(result.errors).toEqual([]);
    expect(result.files).toEqual([path.join(root, 'svc/catalog-info.yaml')]);
    const [ingested] = result.entities;
    expect(ingested?.errors).toEqual([]);
    expect(ingested?.entityRef).toBe('component:default/my-svc');
    expect(ingested?.source).toEqual({
      url: path.join(root, 'svc/catalog-info.yaml'),
      locationRef: `file:${path.join(root, 'svc/catalog-info.yaml')}`,
      line: 2,
      column: 1,
    });
    const entity = ingested!.entity!;
    expect(entity.metadata.namespace).toBe('default');
    expect(entity.metadata.annotations).toEqual({
      'backstage.io/managed-by-location': `file:${path.join(root, 'svc/catalog-info.yaml')}`,
      'backstage.io/managed-by-origin-location': `file:${path.join(root, 'root.yaml')}`,
    });
    expect(entity.relations).toEqual(
      expect.arrayContaining([
        { type: 'ownedBy', targetRef: 'group:default/team-a' },
        { type: 'partOf', targetRef: 'system:default/payments' },
        { type: 'dependsOn', targetRef: 'resource:default/db' },
        { type: 'providesApi', targetRef: 'api:default/pay-api' },
      ]),
    );
    expect(entity.relations).toHaveLength(4);
    expect(entity.metadata.uid).toBeUndefined();
    expect(entity.metadata.etag).toBeUndefined();
  });

  it('keeps the catalog-owned annotations authoritative but lets descriptors set view/source links', async () => {
    await writeTree(root, {
      'c.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: c
  annotations:
    backstage.io/managed-by-location: url:https://evil.example/x.yaml
    backstage.io/source-location: url:https://github.com/acme/c/tree/main/
spec: {type: service, lifecycle: production, owner: team-a}
`,
    });
    const { entities } = await readLocation(file('c.yaml'), options);
    expect(entities[0]?.entity?.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location': `file:${path.join(root, 'c.yaml')}`,
      'backstage.io/managed-by-origin-location': `file:${path.join(root, 'c.yaml')}`,
      'backstage.io/source-location': 'url:https://github.com/acme/c/tree/main/',
    });
  });

  it('reports validation and relation errors with field paths and line numbers, without disturbing other documents', async () => {
    await writeTree(root, {
      'mixed.yaml': `${component('good-one')}---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: bad one
spec:
  type: service
  owner: team-a
  dependsOn: [no-kind-here]
---
just a string
---
---
${component('good-two')}`,
    });
    const result = await readLocation(file('mixed.yaml'), options);
    expect(result.entities.map((e) => [e.entityRef, e.errors.length])).toEqual([
      ['component:default/good-one', 0],
      ['component:default/bad one', 3],
      ['component:default/good-two', 0],
    ]);
    const bad = result.entities[1]!;
    expect(bad.entity).toBeUndefined();
    expect(bad.source.line).toBe(10);
    const byField = Object.fromEntries(bad.errors.map((e) => [e.field, e]));
    expect(byField['metadata.name']).toMatchObject({ kind: 'validation', line: 13, file: path.join(root, 'mixed.yaml') });
    expect(byField['spec.lifecycle']).toMatchObject({ kind: 'validation', line: 14 });
    expect(byField['spec.dependsOn[0]']).toMatchObject({ kind: 'relation', line: 17 });
    expect(byField['spec.dependsOn[0]']?.message).toMatch(/no kind/);
    expect(result.errors).toEqual([expect.objectContaining({ kind: 'validation', line: 19, message: expect.stringMatching(/is a string, not an entity/) })]);
  });

  it('reports a YAML syntax error with line and column and keeps the valid documents', async () => {
    await writeTree(root, { 'broken.yaml': `${component('before')}---\nkind: [oops\n---\n${component('after')}` });
    const result = await readLocation(file('broken.yaml'), options);
    expect(result.entities.map((e) => e.entityRef)).toEqual(['component:default/before', 'component:default/after']);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ kind: 'yaml', file: path.join(root, 'broken.yaml'), line: 11 });
    expect(result.errors[0]?.column).toBeGreaterThan(0);
  });

  it('rejects a second entity with the same ref in one location (across files too)', async () => {
    await writeTree(root, {
      'dups/a.yaml': `${component('twin')}---\n${component('Twin')}`,
      'dups/b.yaml': component('twin'),
    });
    const result = await readLocation(file('dups/*.yaml'), options);
    expect(result.entities.map((e) => [e.entityRef, e.entity ? 'ok' : e.errors[0]?.kind])).toEqual([
      ['component:default/twin', 'ok'],
      ['component:default/twin', 'duplicate'],
      ['component:default/twin', 'duplicate'],
    ]);
    expect(result.entities[2]?.errors[0]?.message).toContain(`already defined at ${path.join(root, 'dups/a.yaml')}:1`);
  });

  it('enforces catalog.rules kinds, adding the location rules to the global ones', async () => {
    await writeTree(root, {
      'org.yaml': `${component('svc')}---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-a}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: {name: db}
spec: {type: database, owner: team-a}
`,
    });
    const rules = [{ allow: ['Component', 'API', 'Location'] }];
    const result = await readLocation(file('org.yaml'), { ...options, rules });
    expect(result.entities.map((e) => (e.entity ? 'ok' : e.errors[0]?.kind))).toEqual(['ok', 'rules', 'rules']);
    const message = result.entities[1]?.errors[0]?.message;
    expect(message).toContain('kind Group');
    expect(message).toContain(`file:${path.join(root, 'org.yaml')}`);
    expect(result.entities[1]?.entityRef).toBe('group:default/team-a');

    const withLocationRules = await readLocation(file('org.yaml'), {
      ...options,
      rules,
      locationRules: [{ allow: ['group', { kind: 'Resource', 'spec.type': 'queue' }] }],
    });
    expect(withLocationRules.entities.map((e) => (e.entity ? 'ok' : e.errors[0]?.kind))).toEqual(['ok', 'ok', 'rules']);
  });

  it('returns Location targets as absolute child locations and refuses ones outside the roots', async () => {
    await writeTree(root, {
      'catalog/all.yaml': `apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: all}
spec:
  targets:
    - ./teams/*.yaml
    - ../catalog/other.yaml
    - ../../../etc/passwd
  presence: optional
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: remote}
spec:
  type: url
  target: https://example.com/catalog-info.yaml
`,
    });
    const result = await readLocation(file('catalog/all.yaml'), options);
    expect(result.entities.map((e) => e.entity?.kind)).toEqual(['Location', 'Location']);
    expect(result.childLocations).toEqual([
      { type: 'file', target: path.join(root, 'catalog/teams/*.yaml'), presence: 'optional', parentEntityRef: 'location:default/all' },
      { type: 'file', target: path.join(root, 'catalog/other.yaml'), presence: 'optional', parentEntityRef: 'location:default/all' },
      { type: 'url', target: 'https://example.com/catalog-info.yaml', presence: 'required', parentEntityRef: 'location:default/remote' },
    ]);
    expect(result.errors).toEqual([
      expect.objectContaining({ kind: 'security', field: 'spec.targets[2]', line: 8, message: expect.stringContaining('outside the allowed file roots') }),
    ]);
  });

  it('resolves placeholders next to the descriptor and refuses ones outside the roots', async () => {
    const outside = await tempDir();
    await writeTree(outside, { 'secret.txt': 'secret' });
    await writeTree(root, {
      'apis/api.yaml': `apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: pets}
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition:
    $text: ./pets.oas.yaml
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: sneaky}
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition:
    $text: ${path.relative(path.join(root, 'apis'), path.join(outside, 'secret.txt'))}
`,
      'apis/pets.oas.yaml': 'openapi: 3.0.0\n',
    });
    const result = await readLocation(file('apis/api.yaml'), options);
    expect(result.entities[0]?.entity?.spec?.definition).toBe('openapi: 3.0.0\n');
    expect(result.entities[1]?.entity).toBeUndefined();
    expect(result.entities[1]?.errors).toEqual([expect.objectContaining({ kind: 'security', field: 'spec.definition', line: 18, column: 3 })]);
    expect(result.files).toEqual([path.join(root, 'apis/api.yaml'), path.join(root, 'apis/pets.oas.yaml')]);
  });

  it('gives the same content hash for the same input, and a new one when a file or placeholder target changes', async () => {
    await writeTree(root, {
      'a.yaml': `apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: a}
spec: {type: openapi, lifecycle: production, owner: team-a, definition: {$text: ./def.yaml}}
`,
      'def.yaml': 'v1',
    });
    const first = await readLocation(file('a.yaml'), options);
    expect((await readLocation(file('a.yaml'), options)).contentHash).toBe(first.contentHash);
    await writeTree(root, { 'def.yaml': 'v2' });
    const second = await readLocation(file('a.yaml'), options);
    expect(second.contentHash).not.toBe(first.contentHash);
    await writeTree(root, { 'a.yaml': `# comment\n${await fs.readFile(path.join(root, 'a.yaml'), 'utf8')}` });
    expect((await readLocation(file('a.yaml'), options)).contentHash).not.toBe(second.contentHash);
  });

  it('reads a file of almost 10 MB with tens of thousands of entities', async () => {
    const docs: string[] = [];
    let size = 0;
    for (let i = 0; size < 9.5 * 1024 * 1024; i++) {
      const doc = component(`svc-${i}`, `  dependsOn: [resource:db-${i % 100}]\n  system: sys-${i % 50}`);
      docs.push(doc);
      size += doc.length + 4;
    }
    await writeTree(root, { 'big.yaml': docs.join('---\n') });
    const result = await readLocation(file('big.yaml'), options);
    expect(result.errors).toEqual([]);
    expect(result.entities).toHaveLength(docs.length);
    expect(result.entities.every((e) => e.errors.length === 0)).toBe(true);
    expect(result.entities.at(-1)?.source.line).toBe((docs.length - 1) * 11 + 1); // 10 lines + "---" each
    expect(result.entities.at(-1)?.entity?.relations).toHaveLength(3);
  });

  it('refuses a file over the 10 MB default as a location error', async () => {
    await writeTree(root, { 'huge.yaml': `${component('x')}description: "${'y'.repeat(10 * 1024 * 1024)}"\n` });
    const result = await readLocation(file('huge.yaml'), options);
    expect(result.entities).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ kind: 'read', message: expect.stringMatching(/larger than the 10 MB limit/) })]);
  });

  it('refuses paths outside the roots and reports missing files unless optional', async () => {
    const outside = await tempDir();
    await writeTree(outside, { 'x.yaml': component('x') });
    const refused = await readLocation({ type: 'file', target: path.join(outside, 'x.yaml') }, options);
    expect(refused.errors[0]?.kind).toBe('security');
    const missing = await readLocation(file('missing.yaml'), options);
    expect(missing.errors[0]).toMatchObject({ kind: 'read', message: expect.stringContaining('File not found') });
    expect((await readLocation({ ...file('missing.yaml'), presence: 'optional' }, options)).errors).toEqual([]);
    expect((await readLocation(file('nothing/**/*.yaml'), options)).errors[0]?.message).toMatch(/No files match/);
  });

  it('validates custom kinds and computes their relations', async () => {
    const customKinds: CustomKindDefinition[] = [
      {
        apiVersion: 'acme.com/v1',
        kind: 'Pipeline',
        specSchema: { type: 'object', required: ['runsOn'], properties: { runsOn: { type: 'string' } } },
        relations: [{ field: 'runsOn', type: 'dependsOn', inverse: 'dependencyOf', targetKind: 'Resource' }],
      },
    ];
    await writeTree(root, {
      'p.yaml': `apiVersion: acme.com/v1
kind: Pipeline
metadata: {name: build}
spec: {runsOn: ci-cluster}
---
apiVersion: acme.com/v1
kind: Pipeline
metadata: {name: broken}
spec: {}
`,
    });
    const result = await readLocation(file('p.yaml'), { ...options, customKinds });
    expect(result.entities[0]?.entity?.relations).toEqual([{ type: 'dependsOn', targetRef: 'resource:default/ci-cluster' }]);
    expect(result.entities[1]?.errors[0]).toMatchObject({ kind: 'validation', field: 'spec.runsOn' });
    const unknown = await readLocation(file('p.yaml'), options);
    expect(unknown.entities[0]?.errors[0]?.message).toMatch(/kind "Pipeline" is not known/);
  });
});
