import { describe, expect, it } from 'vitest';
import { formatRepoPickerValue, parseRepoPickerValue } from './fields';
import { extractUiSchema } from './uiSchema';

describe('extractUiSchema', () => {
  it('moves inline ui:* keys into an rjsf uiSchema, through dependencies', () => {
    const { schema, uiSchema } = extractUiSchema({
      type: 'object',
      'ui:order': ['b', 'a'],
      properties: {
        a: { type: 'string', 'ui:field': 'EntityPicker', 'ui:options': { allowedKinds: ['Group'] } },
        b: { type: 'string', 'ui:widget': 'textarea' },
      },
      dependencies: { a: { oneOf: [{ properties: { c: { type: 'string', 'ui:help': 'hi' } } }] } },
    });
    expect(uiSchema).toEqual({
      'ui:order': ['b', 'a'],
      a: { 'ui:field': 'EntityPicker', 'ui:options': { allowedKinds: ['Group'] } },
      b: { 'ui:widget': 'textarea' },
      c: { 'ui:help': 'hi' },
    });
    expect(JSON.stringify(schema)).not.toContain('ui:');
  });
});

describe('RepoUrlPicker values', () => {
  it('round-trips Backstage repo URLs', () => {
    expect(parseRepoPickerValue('github.com?owner=acme&repo=svc')).toEqual({ host: 'github.com', owner: 'acme', repo: 'svc' });
    expect(formatRepoPickerValue({ host: 'gitlab.com', owner: 'g', repo: 'r' })).toBe('gitlab.com?owner=g&repo=r');
    expect(formatRepoPickerValue({ host: '', owner: '', repo: '' })).toBeUndefined();
  });
});
