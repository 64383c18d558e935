import type { Entity } from '@atrium/catalog-model';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseYamlDocuments } from '../ingestion/parseYaml.js';
import { fieldLinesOf } from '../ingestion/processEntity.js';
import { EntityChecks, lineOf } from './entityChecks.js';

const source = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: svc
spec:
  type: service
  steps:
    - id: one
      action: debug:log
      input:
        message: hi

    - id: two
      # a comment
      action: wait:forever
`;
const [doc] = parseYamlDocuments(source, { aliasBudget: 1000 });
const lines = fieldLinesOf(doc!.value, doc!);

describe('field lines', () => {
  it('knows the line of every field, and falls back to the nearest ancestor', () => {
    expect(lines['spec.steps[0].input.message']).toBe(11);
    expect(lines['spec.steps[1].action']).toBe(15);
    expect(lineOf('spec.steps[1].action', lines)).toBe(15);
    // Not a field of the document: its deepest existing ancestor, the second step.
    expect(lineOf('spec.steps[1].input.url', lines)).toBe(13);
    expect(lineOf('nothing.here', lines)).toBeUndefined();
    expect(lineOf('spec.steps[0]', undefined)).toBeUndefined();
  });
});

describe('EntityChecks', () => {
  const logged: string[] = [];
  const checks = new EntityChecks(pino({ level: 'warn' }, { write: (l: string) => void logged.push(l) }));
  const entity = doc!.value as Entity;
  const place = { fieldLines: lines, source: { url: '/t/template.yaml', locationRef: 'file:/t/template.yaml', line: 1, column: 1 } };

  it('runs the checks of the entity’s kind and places each problem at its field’s line', async () => {
    const remove = checks.add({
      id: 'test.steps',
      kinds: ['template'],
      check: () => [{ field: 'spec.steps[1].action', message: 'unknown' }, { message: 'whole' }],
    });
    checks.add({ id: 'test.components', kinds: ['Component'], check: () => [{ message: 'never for templates' }] });
    expect(checks.kinds().sort()).toEqual(['component', 'template']);
    expect(await checks.run(entity, place)).toEqual([
      { kind: 'validation', message: 'unknown', file: '/t/template.yaml', line: 15, field: 'spec.steps[1].action' },
      { kind: 'validation', message: 'whole', file: '/t/template.yaml', line: 1 },
    ]);
    const before = checks.version;
    remove();
    expect(checks.version).toBeGreaterThan(before);
    expect(await checks.run(entity, place)).toEqual([]);
  });

  it('refuses bad and duplicate ids; a check that throws is logged and skipped', async () => {
    expect(() => checks.add({ id: 'Bad Id', kinds: ['template'], check: () => [] })).toThrow(/not valid/);
    expect(() => checks.add({ id: 'test.components', kinds: ['template'], check: () => [] })).toThrow(/already registered/);
    checks.add({
      id: 'test.broken',
      kinds: ['template'],
      check: () => {
        throw new Error('boom');
      },
    });
    expect(await checks.run(entity, place)).toEqual([]);
    expect(logged.join('\n')).toMatch(/entity check test\.broken failed: boom/);
  });
});
