import { describe, expect, it } from 'vitest';
import { ReadError } from './errors.js';
import { describePlace, resolvePlace, type Place } from './locations.js';
import { hasPlaceholders, resolvePlaceholders, type PlaceholderReader } from './placeholders.js';

const files: Record<string, string> = {
  '/repo/docs/api.txt': 'plain text',
  '/repo/docs/data.json': '{"a": [1, 2]}',
  '/repo/docs/data.yaml': 'a: [1, 2]\n',
  '/repo/docs/two.yaml': 'a: 1\n---\nb: 2\n',
  '/repo/docs/bad.json': '{nope',
  '/repo/openapi.yaml':
    'openapi: 3.0.0\npaths:\n  /pets:\n    $ref: ./paths/pets.yaml\ncomponents:\n  schemas:\n    Pet:\n      $ref: "./schemas.yaml#/Pet"\n    Local:\n      $ref: "#/components/schemas/Pet"\n',
  '/repo/paths/pets.yaml':
    'get:\n  responses:\n    "200":\n      content:\n        application/json:\n          schema:\n            $ref: ../schemas.yaml#/Pet\n',
  '/repo/schemas.yaml': 'Pet:\n  type: object\n  properties:\n    tag: {$ref: "#/Tag"}\nTag: {type: string}\n',
};

const reader: PlaceholderReader = {
  async read(base, target) {
    const place = resolvePlace(base, target);
    if (place.type === 'file' && !place.path.startsWith('/repo/')) throw new ReadError('security', `Refusing to read ${place.path}`);
    const text = files[describePlace(place)];
    if (text === undefined) throw new ReadError('read', `File not found: ${describePlace(place)}`, { notFound: true });
    return { text, place };
  },
};
const base: Place = { type: 'file', path: '/repo/catalog-info.yaml' };
const resolve = (value: unknown) => resolvePlaceholders(value, { base, reader, aliasBudget: 1000 });

describe('placeholders', () => {
  it('substitutes $text, $json and $yaml relative to the descriptor', async () => {
    const { value, issues } = await resolve({
      spec: { text: { $text: './docs/api.txt' }, json: { $json: 'docs/data.json' }, yaml: { $yaml: './docs/data.yaml' } },
    });
    expect(issues).toEqual([]);
    expect(value).toEqual({ spec: { text: 'plain text', json: { a: [1, 2] }, yaml: { a: [1, 2] } } });
  });

  it('unescapes $$ keys and leaves JSON Schema keywords and multi-key objects alone', async () => {
    const input = {
      a: { $$text: './docs/api.txt' },
      b: { $ref: '#/definitions/x' },
      c: { $text: 'x', other: 1 },
      d: [{ $$$yaml: 'keep' }],
    };
    const { value, issues } = await resolve(input);
    expect(issues).toEqual([]);
    expect(value).toEqual({ a: { $text: './docs/api.txt' }, b: { $ref: '#/definitions/x' }, c: { $text: 'x', other: 1 }, d: [{ $$yaml: 'keep' }] });
  });

  it('reports unknown placeholders, bad values and failed reads with the field path', async () => {
    const { issues } = await resolve({
      spec: {
        a: { $foo: 'x' },
        b: { $text: 42 },
        c: [{ $text: './missing.txt' }],
        d: { $json: './docs/bad.json' },
        e: { $yaml: './docs/two.yaml' },
        f: { $text: '../../etc/passwd' },
      },
    });
    expect(issues.map((i) => [i.path, i.kind])).toEqual([
      ['spec.a', 'placeholder'],
      ['spec.b', 'placeholder'],
      ['spec.c[0]', 'placeholder'],
      ['spec.d', 'placeholder'],
      ['spec.e', 'placeholder'],
      ['spec.f', 'security'],
    ]);
    expect(issues[0]?.message).toMatch(/unknown placeholder \$foo; the known ones are \$text, \$json, \$yaml, \$openapi, \$asyncapi/);
    expect(issues[2]?.message).toMatch(/File not found: \/repo\/missing.txt/);
    expect(issues[4]?.message).toMatch(/2 YAML documents/);
  });

  it('bundles relative external $refs of $openapi documents', async () => {
    const { value, issues } = await resolve({ definition: { $openapi: './openapi.yaml' } });
    expect(issues).toEqual([]);
    const text = (value as { definition: string }).definition;
    expect(typeof text).toBe('string');
    expect(text).not.toContain('./paths/pets.yaml');
    expect(text).not.toContain('schemas.yaml');
    expect(text).toContain("$ref: '#/components/schemas/Pet'"); // the document's own ref stays
    expect(text).toMatch(/tag:\n\s+type: string/); // a #/ ref inside an inlined file is resolved in that file
  });

  it('treats $asyncapi of a file that is not YAML like $text', async () => {
    const { value } = await resolve({ definition: { $asyncapi: './docs/api.txt' } });
    expect(value).toEqual({ definition: 'plain text' });
  });

  it('finds placeholders cheaply before doing any async work', () => {
    expect(hasPlaceholders({ a: [{ b: { $text: 'x' } }] })).toBe(true);
    expect(hasPlaceholders({ a: { $ref: '#/x' }, b: { $text: 'x', c: 1 } })).toBe(false);
  });
});
