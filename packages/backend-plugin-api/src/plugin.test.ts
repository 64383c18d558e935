import { describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import { createServiceRef, definePlugin } from './plugin.js';
import { validateInput } from './validation.js';

describe('definePlugin', () => {
  it('returns the definition as given', () => {
    const ref = createServiceRef<{ ping(): string }>('test.ping');
    const definition = { id: 'ping-pong', provides: ref, setup: () => ({ ping: () => 'pong' }) };
    expect(definePlugin(definition)).toBe(definition);
    expect(ref).toEqual({ id: 'test.ping' });
  });

  it.each(['Catalog', '1st', 'a_b', '', 'x'.repeat(42)])('refuses the id %j', (id) => {
    expect(() => definePlugin({ id, setup() {} })).toThrow(`Invalid plugin id "${id}"`);
  });
});

describe('validateInput', () => {
  const schema = {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string', minLength: 1 }, limit: { type: 'integer' } },
    additionalProperties: false,
  };

  it('returns valid input, coercing query strings', () => {
    expect(validateInput(schema, { name: 'a', limit: '5' }, 'query')).toEqual({ name: 'a', limit: 5 });
  });

  it('throws one InputError listing every bad field by its path', () => {
    const error = (() => {
      try {
        validateInput(schema, { limit: 'x', extra: 1 }, 'body');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).statusCode).toBe(400);
    expect((error as InputError).message).toBe(
      'Invalid request body: body.name is required; body.extra is not an allowed property; body.limit must be integer',
    );
  });
});
