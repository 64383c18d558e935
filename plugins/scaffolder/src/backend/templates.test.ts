import { describe, expect, it } from 'vitest';
import { approvalOf, assertRunnableTemplate, buildTaskSpec, validateValues } from './templates.js';

const template = assertRunnableTemplate({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 't', annotations: { 'backstage.io/managed-by-location': 'file:/x/template.yaml' } },
  spec: {
    type: 'service',
    approval: { groups: ['platform'], approvers: ['user:default/ana'] },
    parameters: [
      { required: ['name', 'token'], properties: { name: { type: 'string', enum: ['a', 'b'] }, token: { type: 'string', 'ui:field': 'Secret' } } },
      { properties: { count: { type: 'integer', minimum: 1 } } },
    ],
    steps: [{ action: 'debug:log' }, { id: 'two', action: 'debug:log', if: false }],
  },
});

describe('templates', () => {
  it('validates values on every page with field paths, leaving Secret fields to secrets', () => {
    expect(validateValues(template, { name: 'a' })).toEqual([]);
    expect(validateValues(template, { name: 'c', count: 0 })).toEqual([
      { path: 'values.name', message: 'must be one of ["a","b"]' },
      { path: 'values.count', message: 'must be >= 1' },
    ]);
  });

  it('refuses templates that are not v1beta3', () => {
    expect(() => assertRunnableTemplate({ apiVersion: 'backstage.io/v1beta2', kind: 'Template', metadata: { name: 'old' }, spec: { steps: [] } })).toThrow(
      /only scaffolder.backstage.io\/v1beta3/,
    );
  });

  it('builds a Backstage task spec with default step ids and names', () => {
    const spec = buildTaskSpec(template, { name: 'a' }, { ref: 'user:default/guest' });
    expect(spec.steps.map((s) => [s.id, s.name])).toEqual([
      ['step-1', 'debug:log'],
      ['two', 'debug:log'],
    ]);
    expect(spec.templateInfo).toMatchObject({ entityRef: 'template:default/t', baseUrl: 'file:/x/template.yaml' });
    expect(spec.user.ref).toBe('user:default/guest');
  });

  it('reads approvers as entity refs', () => {
    expect(approvalOf(template)).toEqual({ approvers: ['group:default/platform', 'user:default/ana'] });
  });
});
