import { describe, expect, it } from 'vitest';
import { InvalidKindDefinitionError, validateCustomKindDefinition, validateCustomKindDefinitions } from './customKinds.js';
import type { CustomKindDefinition } from './kindDefinition.js';
import { entitySchemaForKind } from './kindDefinition.js';
import { componentKind } from './kinds/index.js';
import { relationsFromEntity } from './relationsFromEntity.js';
import { createEntityValidator } from './validator.js';
import { createAjv } from './ajv.js';

const environment: CustomKindDefinition = {
  apiVersion: ['atrium.dev/v1alpha1', 'atrium.dev/v1'],
  kind: 'Environment',
  description: 'A deployment environment.',
  specSchema: {
    type: 'object',
    required: ['owner', 'tier'],
    properties: {
      owner: { type: 'string', minLength: 1 },
      tier: { enum: ['dev', 'staging', 'prod'] },
      contact: { type: 'string', format: 'email' },
      runs: { type: 'array', items: { type: 'string' } },
      deployment: { type: 'object', properties: { cluster: { type: 'string' } } },
    },
  },
  relations: [
    { field: 'owner', type: 'ownedBy', inverse: 'ownerOf', targetKind: 'Group' },
    { field: 'spec.runs', type: 'hosts', inverse: 'hostedBy', targetKind: 'Component' },
    { field: 'deployment.cluster', type: 'deployedTo', inverse: 'deploymentTarget', targetKind: 'Resource' },
  ],
};

const prod = () => ({
  apiVersion: 'atrium.dev/v1alpha1',
  kind: 'Environment',
  metadata: { name: 'prod', namespace: 'ops' },
  spec: {
    owner: 'sre',
    tier: 'prod',
    contact: 'sre@example.com',
    runs: ['artist-web', 'api:default/artist-api'],
    deployment: { cluster: 'eu-1' },
  },
});

describe('custom kinds', () => {
  const validator = createEntityValidator({ customKinds: [environment] });

  it('validates entities of a custom kind like built-in ones', () => {
    expect(validator.validate(prod())).toEqual({ ok: true, errors: [] });
    expect(validator.validate({ ...prod(), apiVersion: 'atrium.dev/v1' }).ok).toBe(true);
    expect(validator.kindOf(prod())).toBe(environment);
  });

  it('reports spec schema violations with field paths', () => {
    const entity = prod();
    entity.spec.tier = 'qa';
    entity.spec.contact = 'not-an-email';
    entity.spec.runs = ['ok', 3 as unknown as string];
    expect(validator.validate(entity).errors).toEqual([
      { path: 'spec.tier', message: 'spec.tier must be one of "dev", "staging", "prod", but is "qa"' },
      { path: 'spec.contact', message: 'spec.contact "not-an-email" must be a valid email' },
      { path: 'spec.runs[1]', message: 'spec.runs[1] must be a string, but is a number (3)' },
    ]);
  });

  it('applies the envelope and metadata rules to custom kinds too', () => {
    const entity = { ...prod(), metadata: { name: 'Prod Env' } };
    expect(validator.validate(entity).errors.map((e) => e.path)).toEqual(['metadata.name']);
    expect(validator.validate({ ...prod(), apiVersion: 'atrium.dev/v2' }).errors[0]?.message).toBe(
      'apiVersion "atrium.dev/v2" is not supported for kind Environment; use "atrium.dev/v1alpha1", "atrium.dev/v1"',
    );
  });

  it('generates relations from single refs, arrays and nested fields, with inverses', () => {
    const { relations, errors } = validator.relations(prod());
    expect(errors).toEqual([]);
    expect(relations.map((r) => `${r.sourceRef} ${r.type} ${r.targetRef}`)).toEqual([
      'environment:ops/prod ownedBy group:ops/sre',
      'group:ops/sre ownerOf environment:ops/prod',
      'environment:ops/prod hosts component:ops/artist-web',
      'component:ops/artist-web hostedBy environment:ops/prod',
      'environment:ops/prod hosts api:default/artist-api',
      'api:default/artist-api hostedBy environment:ops/prod',
      'environment:ops/prod deployedTo resource:ops/eu-1',
      'resource:ops/eu-1 deploymentTarget environment:ops/prod',
    ]);
    expect(relationsFromEntity(prod(), [environment]).relations).toHaveLength(8);
    expect(relationsFromEntity(prod()).relations).toHaveLength(0);
  });

  it('folds anyOf branches into one message', () => {
    const either: CustomKindDefinition = {
      apiVersion: 'atrium.dev/v1',
      kind: 'Either',
      specSchema: {
        type: 'object',
        required: ['x'],
        properties: { n: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } },
      },
    };
    const v = createEntityValidator({ customKinds: [either] });
    const entity = { apiVersion: 'atrium.dev/v1', kind: 'Either', metadata: { name: 'e' }, spec: { n: [5] } };
    expect(v.validate(entity).errors).toEqual([
      { path: 'spec.x', message: 'spec.x is required' },
      { path: 'spec.n', message: 'spec.n "[5]" does not match any of the allowed forms' },
    ]);
  });

  it('needs refs to name a kind when the relation field has no target kind', () => {
    const free: CustomKindDefinition = {
      apiVersion: 'atrium.dev/v1',
      kind: 'Runbook',
      specSchema: { type: 'object', properties: { covers: { type: 'array', items: { type: 'string' } } } },
      relations: [{ field: 'covers', type: 'covers', inverse: 'coveredBy' }],
    };
    const v = createEntityValidator({ customKinds: [free] });
    const entity = { apiVersion: 'atrium.dev/v1', kind: 'Runbook', metadata: { name: 'r' }, spec: { covers: ['component:a', 'b'] } };
    expect(v.validate(entity).errors.map((e) => e.path)).toEqual(['spec.covers[1]']);
  });

  it('exposes a whole-entity JSON Schema per kind', () => {
    const schema = entitySchemaForKind(environment);
    const validate = createAjv().compile(schema);
    expect(validate(prod())).toBe(true);
    expect(validate({ ...prod(), kind: 'Component' })).toBe(false);
    expect(createAjv().compile(entitySchemaForKind(componentKind))({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'x' } })).toBe(
      false,
    );
  });
});

describe('validateCustomKindDefinition', () => {
  it('accepts a good definition', () => {
    expect(validateCustomKindDefinition(environment)).toEqual([]);
  });

  it('rejects a JSON Schema that is not one, naming the kind', () => {
    const issues = validateCustomKindDefinition({
      ...environment,
      specSchema: { type: 'object', properties: { size: { type: 'strin' } }, required: 'size' },
    });
    expect(issues).toEqual([
      {
        path: 'specSchema.required',
        message: 'Custom kind "Environment": specSchema is not a valid JSON Schema: specSchema.required must be an array, but is a string ("size")',
      },
      {
        path: 'specSchema.properties.size.type',
        message:
          'Custom kind "Environment": specSchema is not a valid JSON Schema: specSchema.properties.size.type must be one of "string", "number", "integer", "boolean", "object", "array", "null" (or a list of them)',
      },
    ]);
  });

  it('rejects a schema that cannot compile, and one that does not describe an object', () => {
    expect(validateCustomKindDefinition({ ...environment, specSchema: { type: 'object', properties: { a: { $ref: '#/definitions/missing' } } } })).toEqual([
      { path: 'specSchema', message: expect.stringMatching(/^Custom kind "Environment": specSchema cannot be compiled: can't resolve reference/) },
    ]);
    expect(validateCustomKindDefinition({ ...environment, specSchema: { type: 'string' } })).toEqual([
      { path: 'specSchema.type', message: 'Custom kind "Environment": specSchema.type must be "object" (spec is always an object), but is "string"' },
    ]);
    expect(validateCustomKindDefinition({ ...environment, specSchema: undefined })[0]?.path).toBe('specSchema');
  });

  it('checks kind, apiVersion and description', () => {
    const issues = validateCustomKindDefinition({ kind: 'my-kind', apiVersion: ['atrium.dev/v1', 'Bad/v1'], specSchema: {}, description: 5 });
    expect(issues).toEqual([
      { path: 'kind', message: expect.stringMatching(/^Custom kind "my-kind": kind must be a letter followed by letters and digits only/) },
      { path: 'apiVersion[1]', message: expect.stringMatching(/^Custom kind "my-kind": apiVersion\[1\] "Bad\/v1" is not valid: it has an invalid prefix/) },
      { path: 'description', message: 'Custom kind "my-kind": description must be a string' },
    ]);
    expect(validateCustomKindDefinition({ kind: 'X', apiVersion: [], specSchema: {} })[0]?.message).toBe(
      'Custom kind "X": apiVersion must list at least one apiVersion',
    );
    expect(validateCustomKindDefinition('nope')).toEqual([{ path: '', message: 'A custom kind definition must be an object, but is "nope"' }]);
  });

  it('checks relation fields', () => {
    const issues = validateCustomKindDefinition({
      ...environment,
      relations: [
        { field: '', type: 'ownedBy', inverse: 'ownerOf' },
        { field: 'a..b', type: 'owned by', inverse: 'x' },
        { field: 'owner', type: 'ownedBy', inverse: 'hasMember' },
        { field: 'owner', type: 'ownedBy', inverse: 'ownerOf', targetKind: 'group kind' },
        'owner',
      ],
    });
    expect(issues.map((i) => i.path)).toEqual([
      'relations[0].field',
      'relations[1].field',
      'relations[1].type',
      'relations[2].inverse',
      'relations[3].targetKind',
      'relations[4]',
    ]);
    expect(issues[3]?.message).toBe('Custom kind "Environment": relations[2].inverse must be "ownerOf", the inverse of the built-in relation "ownedBy"');
  });
});

describe('validateCustomKindDefinitions and createEntityValidator', () => {
  it('refuses to redefine a built-in kind or define one kind twice', () => {
    const clash = { ...environment, kind: 'Component', apiVersion: 'backstage.io/v1beta1' };
    expect(validateCustomKindDefinitions([clash, environment, { ...environment, apiVersion: 'atrium.dev/v1' }])).toEqual([
      { path: '[0].kind', message: 'Custom kind "Component": kind Component with apiVersion backstage.io/v1beta1 is already defined by a built-in kind' },
      {
        path: '[2].kind',
        message: 'Custom kind "Environment": kind Environment with apiVersion atrium.dev/v1 is already defined by custom kind definition [1]',
      },
    ]);
  });

  it('allows a built-in kind name under a different apiVersion', () => {
    expect(validateCustomKindDefinitions([{ ...environment, kind: 'Component', apiVersion: 'example.com/v1' }])).toEqual([]);
  });

  it('throws one error listing every problem when given bad definitions', () => {
    const bad = { ...environment, kind: 'Bad Kind', specSchema: { type: 'strin' } };
    expect(() => createEntityValidator({ customKinds: [bad as CustomKindDefinition] })).toThrow(InvalidKindDefinitionError);
    try {
      createEntityValidator({ customKinds: [bad as CustomKindDefinition] });
    } catch (error) {
      const e = error as InvalidKindDefinitionError;
      expect(e.issues.map((i) => i.path)).toEqual(['[0].kind', '[0].specSchema.type']);
      expect(e.message).toMatch(/^Invalid custom kind definition:\n {2}- Custom kind "Bad Kind": kind /);
    }
  });
});
