import { describe, expect, it } from 'vitest';
import { defineRoute, mountRoutes, openApiPath, routeOperation, routesOpenApi } from './routes.js';

describe('defineRoute', () => {
  it('refuses a route without a permission, an empty one, or a public one without a reason', () => {
    const base = { method: 'get' as const, path: '/things', handler: () => [] };
    expect(() => defineRoute({ ...base } as never)).toThrow(/GET \/things must declare a permission/);
    expect(() => defineRoute({ ...base, permission: '' })).toThrow(/must declare a permission/);
    expect(() => defineRoute({ ...base, permission: { public: true, reason: '' } })).toThrow(/must declare a permission/);
    expect(() => defineRoute({ ...base, path: 'things', permission: 'x.read' })).toThrow(/must start with \//);
    expect(defineRoute({ ...base, permission: { public: true, reason: 'liveness probe' } }).path).toBe('/things');
  });

  it('turns Express paths into OpenAPI paths', () => {
    expect(openApiPath('/static/docs/:namespace/:kind/:name/{*path}')).toBe('/static/docs/{namespace}/{kind}/{name}/{path}');
  });

  it('documents parameters, body, replies and the permission from the same schemas', () => {
    const route = defineRoute({
      method: 'post',
      path: '/things/:name',
      params: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 10, description: 'The thing' } } },
      query: { type: 'object', required: ['dry'], properties: { dry: { type: 'boolean' }, limit: { type: 'integer' } } },
      body: { type: 'object', properties: { force: { type: 'boolean' } } },
      response: { status: 202, description: 'Queued', schema: { $ref: '#/components/schemas/Thing' } },
      responses: { '404': { description: 'No such thing' } },
      permission: { name: 'things.update', resourceRef: ({ params }) => `thing:${params.name}` },
      summary: 'Update a thing',
      handler: () => ({}),
    });
    const op = routeOperation(route);
    expect(op['parameters']).toEqual([
      { name: 'name', in: 'path', required: true, description: 'The thing', schema: { type: 'string', maxLength: 10 } },
      { name: 'dry', in: 'query', required: true, schema: { type: 'boolean' } },
      { name: 'limit', in: 'query', schema: { type: 'integer' } },
    ]);
    expect(op['requestBody']).toEqual({ content: { 'application/json': { schema: route.body } } });
    expect(Object.keys(op['responses'] as object).sort()).toEqual(['202', '400', '403', '404']);
    expect(op['x-atrium-permission']).toBe('things.update');
    expect(routesOpenApi([route], { tag: 'things' }).paths?.['/things/{name}']).toEqual({ post: { ...op, tags: ['things'] } });
  });

  it('marks a public route and documents no 403 for it', () => {
    const op = routeOperation(defineRoute({ method: 'get', path: '/ping', permission: { public: true, reason: 'probe' }, handler: () => 'pong' }));
    expect(op['x-atrium-permission']).toEqual({ public: true, reason: 'probe' });
    expect(Object.keys(op['responses'] as object)).toEqual(['200']);
  });
});

describe('mountRoutes', () => {
  it('compiles the validators when mounting: a schema ajv refuses fails at startup, not on the first request', () => {
    const mounted: string[] = [];
    const ctx = {
      router: { get: (path: string) => mounted.push(path) },
      auth: { getCaller: async () => ({}) },
      permissions: { assert: async () => undefined },
    } as never;
    const broken = defineRoute({
      method: 'get',
      path: '/broken',
      query: { type: 'object', properties: { n: { type: 'no-such-type' } } },
      permission: 'x.read',
      handler: () => ({}),
    });
    expect(() => mountRoutes(ctx, [broken], {})).toThrow(/schema is invalid/);
    const fine = defineRoute({
      method: 'get',
      path: '/fine',
      query: { type: 'object', properties: { n: { type: 'integer' } } },
      permission: 'x.read',
      handler: () => ({}),
    });
    mountRoutes(ctx, [fine], {});
    expect(mounted).toEqual(['/fine']);
  });
});
