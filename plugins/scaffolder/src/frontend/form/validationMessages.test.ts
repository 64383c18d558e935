import type { RJSFSchema } from '@rjsf/utils';
import { schemaValidator as validator } from './schemaValidator';
import { describe, expect, it } from 'vitest';
import { describePattern } from './describePattern';
import { extractUiSchema } from './uiSchema';
import { humanizeErrors } from './validationMessages';

/** Validates like the form does (the real rjsf AJV validator) and returns the messages per field. */
function messages(page: Record<string, unknown>, values: Record<string, unknown>): Record<string, string[]> {
  const { schema, uiSchema } = extractUiSchema({ type: 'object', ...page });
  const result = validator.validateFormData(values, schema as RJSFSchema, undefined, (errors) => humanizeErrors(errors, schema, uiSchema), uiSchema);
  const out: Record<string, string[]> = {};
  for (const e of result.errors) (out[(e.property ?? '').replace(/^\./, '')] ??= []).push(e.message ?? '');
  return out;
}

const nodeServicePage = {
  required: ['name', 'owner'],
  properties: {
    name: {
      title: 'Name',
      type: 'string',
      description: 'Unique name of the component (lowercase, dashes)',
      pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
      'ui:field': 'EntityNamePicker',
    },
    owner: { title: 'Owner', type: 'string', 'ui:field': 'OwnerPicker' },
  },
};

describe('humanizeErrors', () => {
  it('says once, in words, what is wrong with each field', () => {
    const m = messages(nodeServicePage, { name: 'Bad Name!' });
    expect(m).toEqual({
      name: ['Name is not in the expected format. Use lowercase letters and digits, joined by single dashes (not at the start or end).'],
      owner: ['Owner is required.'],
    });
    expect(JSON.stringify(m)).not.toMatch(/must (match|have)|\^\[/);
  });

  it("uses the template's own message: errorMessage.properties on the page (Backstage's form)", () => {
    const page = {
      ...nodeServicePage,
      errorMessage: { properties: { name: '1-8 lowercase tokens joined by -' }, required: { owner: 'Pick the owning team' } },
    };
    expect(messages(page, { name: 'X' })).toEqual({ name: ['1-8 lowercase tokens joined by -'], owner: ['Pick the owning team'] });
  });

  it('uses errorMessage on the field, as a string or by keyword', () => {
    const page = {
      properties: {
        a: { title: 'A', type: 'string', pattern: '^x$', errorMessage: 'A must be x' },
        b: { title: 'B', type: 'string', minLength: 3, pattern: '^y+$', errorMessage: { minLength: 'B is too short' } },
      },
    };
    expect(messages(page, { a: 'z', b: 'q' })).toEqual({ a: ['A must be x'], b: ['B is too short', 'B is not in the expected format.'] });
  });

  it('explains a pattern with ui:help first, then the description', () => {
    const page = {
      properties: {
        a: { title: 'Ticket', type: 'string', pattern: '^[A-Z]{2,5}-\\d+$', 'ui:help': 'A Jira key such as OPS-123' },
        b: { title: 'Version', type: 'string', pattern: '^v\\d+$', description: 'a v followed by a number' },
      },
    };
    expect(messages(page, { a: 'ops', b: '1' })).toEqual({
      a: ['Ticket is not in the expected format. A Jira key such as OPS-123.'],
      b: ['Version is not in the expected format. A v followed by a number.'],
    });
  });

  it('words lengths, numbers, formats, choices and lists', () => {
    const page = {
      properties: {
        s: { title: 'Summary', type: 'string', minLength: 5, maxLength: 6 },
        n: { title: 'Replicas', type: 'integer', minimum: 1, maximum: 5 },
        e: { title: 'Email', type: 'string', format: 'email' },
        f: { title: 'Flavour', type: 'string', enum: ['javascript', 'typescript'] },
        t: { title: 'Tags', type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
        w: { title: 'Count', type: 'integer' },
      },
    };
    expect(messages(page, { s: 'abc', n: 9, e: 'nope', f: 'go', t: [], w: 1.5 })).toEqual({
      s: ['Summary needs at least 5 characters.'],
      n: ['Replicas must be 5 or less.'],
      e: ['Email must be an email address.'],
      f: ['Flavour must be one of: javascript, typescript.'],
      t: ['Tags needs at least 1 entry.'],
      w: ['Count must be a whole number.'],
    });
  });

  it('finds fields inside dependencies branches and names them by title', () => {
    const page = {
      properties: { kind: { title: 'Kind', type: 'string', enum: ['a', 'b'] } },
      dependencies: {
        kind: { oneOf: [{ properties: { kind: { const: 'a' }, port: { title: 'Port', type: 'integer', minimum: 1024 } }, required: ['port'] }] },
      },
    };
    const m = messages(page, { kind: 'a', port: 80 });
    expect(m['port']).toEqual(['Port must be 1024 or more.']);
  });
});

describe('describePattern', () => {
  it('puts simple name patterns into words', () => {
    expect(describePattern('^[a-z0-9-]+$')).toBe('Use only lowercase letters, digits and dashes.');
    expect(describePattern('^[a-zA-Z_]{1,63}$')).toBe('Use only letters and underscores.');
    expect(describePattern('^[a-z0-9]+(-[a-z0-9]+)*$')).toBe('Use lowercase letters and digits, joined by single dashes (not at the start or end).');
    expect(describePattern('^[a-z]+(?:\\.[a-z]+)*$')).toBe('Use lowercase letters, joined by single dots (not at the start or end).');
  });

  it('gives up on anything it cannot explain faithfully', () => {
    for (const p of ['^[^/]+$', '[a-z]+', '^[a-z]+-[0-9]+$', '^(a|b)$', '^[a-z]+(-[0-9]+)*$', '^[ä-ö]+$', '']) {
      expect(describePattern(p), p).toBeUndefined();
    }
  });
});
