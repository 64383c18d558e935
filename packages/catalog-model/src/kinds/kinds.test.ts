import { describe, expect, it } from 'vitest';
import { BUILTIN_KIND_NAMES, example } from '../fixtures.testing.js';
import { createEntityValidator } from '../validator.js';

const validator = createEntityValidator();

/** Validates and returns the error paths. */
function errorPaths(entity: unknown): string[] {
  return validator.validate(entity).errors.map((e) => e.path);
}

function without(kind: string, field: string) {
  const entity = example(kind);
  Reflect.deleteProperty(entity.spec, field);
  return entity;
}

function withSpec(kind: string, spec: Record<string, unknown>) {
  const entity = example(kind);
  Object.assign(entity.spec, spec);
  return entity;
}

describe('every built-in kind', () => {
  it.each(BUILTIN_KIND_NAMES)('accepts a full %s', (kind) => {
    expect(validator.validate(example(kind))).toEqual({ ok: true, errors: [] });
  });

  it.each(BUILTIN_KIND_NAMES)('requires spec on %s', (kind) => {
    const entity = example(kind);
    delete entity.spec;
    expect(validator.validate(entity).errors).toEqual([{ path: 'spec', message: `spec is required for kind ${kind}` }]);
  });

  it.each(BUILTIN_KIND_NAMES.filter((k) => k !== 'Template'))('accepts backstage.io/v1beta1 for %s', (kind) => {
    expect(validator.validate({ ...example(kind), apiVersion: 'backstage.io/v1beta1' }).ok).toBe(true);
  });

  it.each(BUILTIN_KIND_NAMES.filter((k) => k !== 'Template'))('rejects an unknown apiVersion for %s', (kind) => {
    const result = validator.validate({ ...example(kind), apiVersion: 'backstage.io/v2' });
    expect(result.errors).toEqual([
      {
        path: 'apiVersion',
        message: `apiVersion "backstage.io/v2" is not supported for kind ${kind}; use "backstage.io/v1alpha1", "backstage.io/v1beta1"`,
      },
    ]);
  });
});

describe('required spec fields', () => {
  it.each([
    ['Component', 'type'],
    ['Component', 'lifecycle'],
    ['Component', 'owner'],
    ['API', 'type'],
    ['API', 'lifecycle'],
    ['API', 'owner'],
    ['API', 'definition'],
    ['Resource', 'type'],
    ['Resource', 'owner'],
    ['System', 'owner'],
    ['Domain', 'owner'],
    ['Group', 'type'],
    ['Group', 'children'],
    ['User', 'memberOf'],
    ['Template', 'type'],
    ['Template', 'steps'],
  ])('%s needs spec.%s', (kind, field) => {
    expect(validator.validate(without(kind, field)).errors).toEqual([{ path: `spec.${field}`, message: `spec.${field} is required` }]);
  });

  it.each([
    ['Component', ['system', 'subcomponentOf', 'providesApis', 'consumesApis', 'dependsOn', 'dependencyOf']],
    ['API', ['system']],
    ['Resource', ['system', 'dependsOn', 'dependencyOf']],
    ['System', ['domain', 'type']],
    ['Domain', ['subdomainOf', 'type']],
    ['Group', ['profile', 'parent', 'members']],
    ['User', ['profile']],
    ['Location', ['type', 'targets', 'presence']],
    ['Template', ['owner', 'lifecycle', 'parameters', 'output']],
  ] as const)('%s accepts leaving out %j', (kind, fields) => {
    const entity = example(kind);
    for (const field of fields) Reflect.deleteProperty(entity.spec, field);
    expect(validator.validate(entity).errors).toEqual([]);
  });

  it('accepts an empty Location spec and empty Group children / User memberOf', () => {
    expect(validator.validate({ ...example('Location'), spec: {} }).ok).toBe(true);
    expect(validator.validate(withSpec('Group', { children: [] })).ok).toBe(true);
    expect(validator.validate(withSpec('User', { memberOf: [] })).ok).toBe(true);
  });
});

describe('spec field types', () => {
  it.each([
    ['Component', { type: '' }, 'spec.type', 'spec.type must not be empty'],
    ['Component', { owner: 42 }, 'spec.owner', 'spec.owner must be a string, but is a number (42)'],
    ['Component', { providesApis: 'artist-api' }, 'spec.providesApis', 'spec.providesApis must be an array, but is a string ("artist-api")'],
    ['Component', { dependsOn: ['resource:db', ''] }, 'spec.dependsOn[1]', 'spec.dependsOn[1] must not be empty'],
    [
      'API',
      { definition: { $text: './openapi.yaml' } },
      'spec.definition',
      'spec.definition must be a string, but is an object (it is an unresolved $text placeholder; the catalog substitutes these when it reads the descriptor)',
    ],
    ['Resource', { dependencyOf: [7] }, 'spec.dependencyOf[0]', 'spec.dependencyOf[0] must be a string, but is a number (7)'],
    ['System', { domain: ['a'] }, 'spec.domain', 'spec.domain must be a string, but is an array'],
    ['Group', { children: null }, 'spec.children', 'spec.children must be an array, but is null'],
    ['Group', { profile: { email: '' } }, 'spec.profile.email', 'spec.profile.email must not be empty'],
    ['User', { memberOf: 'team-a' }, 'spec.memberOf', 'spec.memberOf must be an array, but is a string ("team-a")'],
    ['Location', { presence: 'maybe' }, 'spec.presence', 'spec.presence must be one of "required", "optional", but is "maybe"'],
    ['Location', { targets: [''] }, 'spec.targets[0]', 'spec.targets[0] must not be empty'],
  ])('%s %j', (kind, spec, path, message) => {
    expect(validator.validate(withSpec(kind, spec)).errors).toEqual([{ path, message }]);
  });

  it('rejects a spec that is not an object', () => {
    expect(validator.validate({ ...example('Component'), spec: 'service' }).errors).toEqual([
      { path: 'spec', message: 'spec must be an object, but is a string ("service")' },
    ]);
  });

  it('allows extra spec fields, as Backstage does', () => {
    expect(validator.validate(withSpec('Component', { apiConsumedBy: ['x'], custom: { a: 1 } })).ok).toBe(true);
  });
});

describe('API of type mcp-server', () => {
  const mcp = () => {
    const entity = example('API');
    entity.spec = { type: 'mcp-server', lifecycle: 'production', owner: 'team-a', remotes: [{ type: 'streamable-http', url: 'https://example.com/mcp' }] };
    return entity;
  };

  it('needs remotes instead of a definition', () => {
    expect(validator.validate(mcp()).errors).toEqual([]);
    const entity = mcp();
    delete entity.spec.remotes;
    expect(validator.validate(entity).errors).toEqual([{ path: 'spec.remotes', message: 'spec.remotes is required' }]);
  });

  it('checks the remotes', () => {
    const empty = mcp();
    empty.spec.remotes = [];
    expect(validator.validate(empty).errors).toEqual([{ path: 'spec.remotes', message: 'spec.remotes must have at least 1 item' }]);
    const noUrl = mcp();
    noUrl.spec.remotes = [{ type: 'sse' }];
    expect(validator.validate(noUrl).errors).toEqual([{ path: 'spec.remotes[0].url', message: 'spec.remotes[0].url is required' }]);
  });

  it('other API types still need a definition', () => {
    expect(validator.validate(without('API', 'definition')).errors.map((e) => e.path)).toEqual(['spec.definition']);
  });
});

describe('Template', () => {
  it('accepts parameters as one object or as an array of pages', () => {
    expect(validator.validate(withSpec('Template', { parameters: { properties: { name: { type: 'string' } } } })).ok).toBe(true);
    expect(validator.validate(withSpec('Template', { parameters: [] })).ok).toBe(true);
  });

  it('rejects other parameters', () => {
    expect(errorPaths(withSpec('Template', { parameters: 'name' }))).toEqual(['spec.parameters']);
    expect(validator.validate(withSpec('Template', { parameters: ['name'] })).errors).toEqual([
      { path: 'spec.parameters[0]', message: 'spec.parameters[0] must be an object, but is a string ("name")' },
    ]);
  });

  it('needs an action on every step', () => {
    const entity = example('Template');
    delete entity.spec.steps[1].action;
    expect(validator.validate(entity).errors).toEqual([{ path: 'spec.steps[1].action', message: 'spec.steps[1].action is required' }]);
  });

  it('checks step field types', () => {
    const entity = example('Template');
    entity.spec.steps[0].if = 1;
    entity.spec.steps[0].input = 'x';
    expect(validator.validate(entity).errors).toEqual([
      { path: 'spec.steps[0].input', message: 'spec.steps[0].input must be an object, but is a string ("x")' },
      { path: 'spec.steps[0].if', message: 'spec.steps[0].if must be a string or a boolean, but is a number (1)' },
    ]);
  });

  it('needs steps to be an array and output extras to be strings', () => {
    expect(errorPaths(withSpec('Template', { steps: { action: 'x' } }))).toEqual(['spec.steps']);
    expect(validator.validate(withSpec('Template', { output: { count: 3 } })).errors).toEqual([
      { path: 'spec.output.count', message: 'spec.output.count must be a string, but is a number (3)' },
    ]);
  });

  it('only accepts scaffolder.backstage.io/v1beta3', () => {
    const result = validator.validate({ ...example('Template'), apiVersion: 'scaffolder.backstage.io/v1beta2' });
    expect(result.errors).toEqual([
      {
        path: 'apiVersion',
        message: 'apiVersion "scaffolder.backstage.io/v1beta2" is not supported for kind Template; use "scaffolder.backstage.io/v1beta3"',
      },
    ]);
  });
});
