import { createAjv } from '@atrium/backend-plugin-api';
import type { RJSFSchema } from '@rjsf/utils';
import { afterEach, describe, expect, it } from 'vitest';
import { schemaValidator } from './schemaValidator';

/** What the app's CSP (script-src 'self', no 'unsafe-eval') does to `new Function` in the browser. */
const RealFunction = globalThis.Function;
function forbidEval() {
  globalThis.Function = new Proxy(RealFunction, {
    construct() {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not an allowed source of script");
    },
    apply() {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not an allowed source of script");
    },
  });
}
afterEach(() => {
  globalThis.Function = RealFunction;
});

const page: RJSFSchema = {
  type: 'object',
  required: ['name', 'owner'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    owner: { type: 'string' },
    'two words': { type: 'string', maxLength: 2 },
    tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' } },
    nested: { type: 'object', properties: { port: { type: 'integer', minimum: 1024 } } },
  },
};

describe('the form validator', () => {
  it('validates without eval, where Ajv cannot (the app forbids unsafe-eval)', () => {
    forbidEval();
    expect(() => createAjv().compile({ type: 'object', properties: { x: { type: 'string', pattern: '^a$' } } })).toThrow(/unsafe-eval/);
    const result = schemaValidator.validateFormData({ name: 'Bad Name!' }, { ...page });
    expect(result.errors.map((e) => [e.property, e.name])).toEqual([
      ['.owner', 'required'],
      ['.name', 'pattern'],
    ]);
  });

  it('reports errors in Ajv’s shape: property paths, schema paths and params', () => {
    const { errors, errorSchema } = schemaValidator.validateFormData({ 'two words': 'abc', tags: ['ok', 'NO'], nested: { port: 80 } }, page);
    const byProperty = Object.fromEntries(errors.map((e) => [e.property, { name: e.name, schemaPath: e.schemaPath, params: e.params }]));
    expect(byProperty).toEqual({
      '.name': { name: 'required', schemaPath: '#/required', params: { missingProperty: 'name' } },
      '.owner': { name: 'required', schemaPath: '#/required', params: { missingProperty: 'owner' } },
      '.two words': { name: 'maxLength', schemaPath: '#/properties/two%20words/maxLength', params: { limit: 2 } },
      '.tags.1': { name: 'pattern', schemaPath: '#/properties/tags/items/pattern', params: { pattern: '^[a-z]+$' } },
      '.nested.port': { name: 'minimum', schemaPath: '#/properties/nested/properties/port/minimum', params: { limit: 1024 } },
    });
    expect(Object.keys(errorSchema)).toEqual(expect.arrayContaining(['name', 'owner', 'two words', 'tags', 'nested']));
  });

  it('keeps only the errors of the dependency branch the user is filling in', () => {
    const schema: RJSFSchema = {
      type: 'object',
      properties: { kind: { type: 'string', enum: ['db', 'queue'] } },
      dependencies: {
        kind: {
          oneOf: [
            { properties: { kind: { const: 'db' }, size: { type: 'integer', minimum: 1 } }, required: ['size'] },
            { properties: { kind: { const: 'queue' }, topic: { type: 'string' } }, required: ['topic'] },
          ],
        },
      },
    };
    expect(schemaValidator.validateFormData({ kind: 'queue' }, schema).errors.map((e) => `${e.property} ${e.name}`)).toEqual(['.topic required']);
    expect(schemaValidator.isValid({ properties: { kind: { const: 'queue' } } }, { kind: 'queue' }, schema)).toBe(true);
    expect(schemaValidator.isValid({ properties: { kind: { const: 'db' } } }, { kind: 'queue' }, schema)).toBe(false);
  });

  it('resolves $ref to the root definitions when rjsf checks a subschema', () => {
    const root: RJSFSchema = { definitions: { slug: { type: 'string', pattern: '^[a-z]+$' } }, properties: { a: { $ref: '#/definitions/slug' } } };
    expect(schemaValidator.isValid({ properties: { a: { $ref: '#/definitions/slug' } } }, { a: 'ok' }, root)).toBe(true);
    expect(schemaValidator.isValid({ properties: { a: { $ref: '#/definitions/slug' } } }, { a: 'NO' }, root)).toBe(false);
  });

  it('says a broken schema is broken instead of throwing', () => {
    const result = schemaValidator.validateFormData({ a: 'x' }, { properties: { a: { type: 'string', pattern: '([' } } });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.stack).toMatch(/schema is invalid/);
  });

  it('merges custom validation like rjsf’s own validators', () => {
    const result = schemaValidator.validateFormData({ owner: 'x', name: 'ok' }, page, (data, errors) => {
      if ((data as { owner?: string }).owner === 'x')
        (errors as unknown as Record<string, { addError(m: string): void }>)['owner']?.addError('Owner x is retired');
      return errors;
    });
    expect(result.errors.map((e) => e.message)).toContain('Owner x is retired');
  });
});
