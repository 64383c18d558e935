import {
  coreServices,
  createPermissions,
  createServiceFactory,
  definePlugin,
  defineRoute,
  mountRoutes,
  NotFoundError,
  type PermissionRequest,
} from '@atrium/backend-plugin-api';
import { startTestBackend, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Shelf {
  books: Map<string, { title: string; pages: number }>;
  handled: string[];
}

const bookParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[a-z0-9-]+$', maxLength: 20 } } };

const routes = [
  defineRoute<Shelf, Record<string, string>, { limit: number }>({
    method: 'get',
    path: '/books',
    query: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 10, default: 5 } } },
    permission: 'books.list',
    summary: 'List books',
    handler: ({ query }, shelf) => {
      shelf.handled.push('list');
      return { items: [...shelf.books.keys()].slice(0, query.limit) };
    },
  }),
  defineRoute<Shelf, { id: string }, Record<string, never>, { title: string; pages: number }>({
    method: 'put',
    path: '/books/:id',
    params: bookParams,
    body: {
      type: 'object',
      required: ['title', 'pages'],
      additionalProperties: false,
      properties: { title: { type: 'string', minLength: 1 }, pages: { type: 'integer', minimum: 1 } },
    },
    response: { status: 201, description: 'Stored' },
    permission: { name: 'books.update', resourceRef: ({ params }) => `book:${params.id}` },
    handler: ({ params, body }, shelf) => {
      shelf.handled.push(`put ${params.id}`);
      shelf.books.set(params.id, body);
      return { id: params.id };
    },
  }),
  defineRoute<Shelf, { id: string }>({
    method: 'get',
    path: '/books/:id',
    params: bookParams,
    permission: { name: 'books.read', resourceRef: ({ params }) => `book:${params.id}` },
    responses: { '404': { description: 'No such book' } },
    handler: ({ params, res }, shelf) => {
      const book = shelf.books.get(params.id);
      if (!book) throw new NotFoundError(`No book ${params.id}`);
      res.setHeader('X-Pages', String(book.pages));
      return book;
    },
  }),
  // The resource is looked up: the permission concerns the book's series, found on the shelf.
  defineRoute<Shelf, { id: string }>({
    method: 'delete',
    path: '/books/:id',
    params: bookParams,
    permission: {
      name: 'books.delete',
      resourceRef: async ({ params }, shelf) => (shelf.books.has(params.id) ? `series:${shelf.books.get(params.id)!.title.toLowerCase()}` : undefined),
    },
    response: { status: 204 },
    handler: ({ params, res }, shelf) => {
      shelf.handled.push(`delete ${params.id}`);
      shelf.books.delete(params.id);
      res.status(204).end();
    },
  }),
  defineRoute<Shelf>({
    method: 'get',
    path: '/ping',
    permission: { public: true, reason: 'a probe that reveals nothing' },
    handler: () => ({ ok: true }),
  }),
];

describe('routes declared with defineRoute', () => {
  const shelf: Shelf = { books: new Map(), handled: [] };
  const asked: PermissionRequest[] = [];
  let t: TestBackend;

  beforeAll(async () => {
    const plugin = definePlugin({
      id: 'books',
      routes,
      setup(ctx) {
        mountRoutes(ctx, routes, shelf);
        ctx.router.get('/plain', (_req, res) => {
          res.json({ plain: true });
        });
      },
    });
    // Deny writes to one book; everything else is allowed. Every question asked is recorded.
    const policy = createServiceFactory(coreServices.permissions, () =>
      createPermissions((_caller, request) => {
        asked.push(request);
        return request.resourceRef === 'book:locked' ? { result: 'DENY', reason: 'locked' } : { result: 'ALLOW' };
      }),
    );
    t = await startTestBackend({ plugins: [plugin], services: [policy] });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('validates the body and answers 400 listing each offending field, before asking for permission or running the handler', async () => {
    asked.length = 0;
    const r = await t.json<{ error: { name: string; details: { errors: Array<{ path: string }> } } }>('/api/books/books/abc', {
      method: 'PUT',
      body: { title: '', extra: 1 },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.name).toBe('InputError');
    expect(r.body.error.details.errors.map((e) => e.path).sort()).toEqual(['body.extra', 'body.pages', 'body.title']);
    expect(asked).toEqual([]);
    expect(shelf.handled).toEqual([]);
  });

  it('validates path parameters and coerces the query string', async () => {
    const bad = await t.json<{ error: { details: { errors: Array<{ path: string }> } } }>('/api/books/books/NOT%20OK');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors.map((e) => e.path)).toEqual(['params.id']);
    const q = await t.json<{ error: { details: { errors: Array<{ path: string }> } } }>('/api/books/books?limit=99');
    expect(q.status).toBe(400);
    expect(q.body.error.details.errors.map((e) => e.path)).toEqual(['query.limit']);
  });

  it('checks the declared permission with the resource before the handler, and stops a denied call', async () => {
    asked.length = 0;
    const denied = await t.json('/api/books/books/locked', { method: 'PUT', body: { title: 'Secret', pages: 3 } });
    expect(denied.status).toBe(403);
    expect(asked).toEqual([{ permission: 'books.update', resourceRef: 'book:locked' }]);
    expect(shelf.handled).toEqual([]);

    const ok = await t.json('/api/books/books/dune', { method: 'PUT', body: { title: 'Dune', pages: 412 } });
    expect(ok).toEqual({ status: 201, body: { id: 'dune' } });
    const read = await t.fetch('/api/books/books/dune');
    expect(read.headers.get('x-pages')).toBe('412');
    expect(await read.json()).toEqual({ title: 'Dune', pages: 412 });
    const list = await t.json('/api/books/books');
    expect(list.body).toEqual({ items: ['dune'] });
    expect(asked).toEqual([
      { permission: 'books.update', resourceRef: 'book:locked' },
      { permission: 'books.update', resourceRef: 'book:dune' },
      { permission: 'books.read', resourceRef: 'book:dune' },
      { permission: 'books.list' },
    ]);
    expect((await t.json('/api/books/books/nope')).status).toBe(404);
  });

  it("takes the resource from the plugin's services when the route looks it up", async () => {
    await t.json('/api/books/books/dune2', { method: 'PUT', body: { title: 'Dune', pages: 1 } });
    asked.length = 0;
    expect((await t.fetch('/api/books/books/dune2', { method: 'DELETE' })).status).toBe(204);
    expect((await t.fetch('/api/books/books/gone', { method: 'DELETE' })).status).toBe(204);
    expect(asked).toEqual([{ permission: 'books.delete', resourceRef: 'series:dune' }, { permission: 'books.delete' }]);
  });

  it('asks nothing for a public route, and keeps plain Express routes working', async () => {
    asked.length = 0;
    expect((await t.json('/api/books/ping')).body).toEqual({ ok: true });
    expect((await t.json('/api/books/plain')).body).toEqual({ plain: true });
    expect(asked).toEqual([]);
  });

  it('puts each route in /api/openapi.json from the schemas it validates with', async () => {
    const doc = (await t.json<{ paths: Record<string, Record<string, Record<string, unknown>>> }>('/api/openapi.json')).body;
    const put = doc.paths['/api/books/books/{id}']!['put']!;
    expect(put['x-atrium-permission']).toBe('books.update');
    expect(put['tags']).toEqual(['books']);
    expect(put['requestBody']).toMatchObject({ content: { 'application/json': { schema: { required: ['title', 'pages'] } } } });
    expect(Object.keys(put['responses'] as object).sort()).toEqual(['201', '400', '403']);
    expect(doc.paths['/api/books/books/{id}']!['get']).toBeDefined();
    expect(doc.paths['/api/books/ping']!['get']!['x-atrium-permission']).toEqual({ public: true, reason: 'a probe that reveals nothing' });
  });
});
