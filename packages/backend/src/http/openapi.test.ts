import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { ATRIUM_VERSION } from '../host/version.js';
import { defaultPlugins } from '../plugins.js';
import { mergeOpenApi, toOpenApi30Schema } from './openapi.js';

describe('the merged OpenAPI document', () => {
  it('of every installed plugin passes OpenAPI 3.0.3 validation', async () => {
    const document = mergeOpenApi(defaultPlugins, ATRIUM_VERSION);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.0');
    // Every $ref points at a schema the document defines.
    const schemas = (document['components'] as { schemas: Record<string, unknown> }).schemas;
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((r) => !(r in schemas))).toEqual([]);
  });
});

describe('toOpenApi30Schema', () => {
  it('turns JSON Schema null types into nullable, keeping everything else', () => {
    expect(toOpenApi30Schema({ type: ['string', 'null'], minLength: 1 })).toEqual({ type: 'string', minLength: 1, nullable: true });
    expect(toOpenApi30Schema({ type: 'null' })).toEqual({ nullable: true, enum: [null] });
    expect(toOpenApi30Schema({ type: ['integer', 'string'] })).toEqual({ anyOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(toOpenApi30Schema({ type: 'array', items: { oneOf: [{ $ref: '#/components/schemas/Entity' }, { type: 'null' }] } })).toEqual({
      type: 'array',
      items: { oneOf: [{ $ref: '#/components/schemas/Entity' }], nullable: true },
    });
    expect(toOpenApi30Schema({ const: 'x' })).toEqual({ enum: ['x'] });
    expect(toOpenApi30Schema({ properties: { type: { type: 'string' } } })).toEqual({ properties: { type: { type: 'string' } } });
  });
});
