import { describe, expect, it } from 'vitest';
import { buildOpenApiModel, filterOperations, parseDefinition, resolveRef, sampleFromSchema } from './openapiModel';

const spec = `
openapi: 3.0.3
info: { title: Orders, version: 1.2.0, description: Place **orders**. }
servers:
  - url: https://{region}.example.com/v1
    variables: { region: { default: eu } }
tags:
  - { name: orders, description: Order lifecycle }
paths:
  /orders/{id}:
    parameters:
      - { name: id, in: path, schema: { type: string } }
    get:
      operationId: getOrder
      tags: [orders]
      summary: Read one order
      parameters:
        - $ref: '#/components/parameters/Verbose'
      responses:
        '200':
          description: The order
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Order' }
        '404': { $ref: '#/components/responses/NotFound' }
    delete:
      deprecated: true
      responses: { '204': { description: Gone } }
  /health:
    get:
      responses: { '200': { description: ok } }
components:
  parameters:
    Verbose: { name: verbose, in: query, schema: { type: boolean } }
  responses:
    NotFound: { description: No such order }
  schemas:
    Order:
      type: object
      required: [id]
      properties:
        id: { type: string, format: uuid, readOnly: true }
        lines: { type: array, items: { $ref: '#/components/schemas/Line' } }
        parent: { $ref: '#/components/schemas/Order' }
    Line:
      type: object
      properties:
        sku: { type: string, example: ABC-1 }
        quantity: { type: integer, minimum: 1 }
`;

describe('buildOpenApiModel', () => {
  const model = buildOpenApiModel(parseDefinition(spec));

  it('reads the info and fills server variables with their defaults', () => {
    expect(model).toMatchObject({ version: 'OpenAPI 3.0.3', title: 'Orders', apiVersion: '1.2.0', description: 'Place **orders**.' });
    expect(model.servers).toEqual([{ url: 'https://eu.example.com/v1' }]);
  });

  it('groups operations by tag, untagged ones under "default"', () => {
    expect(model.tags.map((t) => [t.name, t.operations.map((o) => o.id)])).toEqual([
      ['orders', ['getOrder']],
      ['default', ['DELETE /orders/{id}', 'GET /health']],
    ]);
  });

  it('merges path and operation parameters and follows $refs', () => {
    const get = model.tags[0]!.operations[0]!;
    expect(get.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['id', 'path', true],
      ['verbose', 'query', false],
    ]);
    expect(get.responses.map((r) => [r.status, r.description, r.contents.length])).toEqual([
      ['200', 'The order', 1],
      ['404', 'No such order', 0],
    ]);
    expect(model.tags[1]!.operations[0]!.deprecated).toBe(true);
  });

  it('lists the named schemas', () => {
    expect(model.schemas.map((s) => s.name)).toEqual(['Order', 'Line']);
    expect(resolveRef(model.document, '#/components/schemas/Line')).toMatchObject({ type: 'object' });
    expect(resolveRef(model.document, '#/nope/x')).toBeUndefined();
  });

  it('reads Swagger 2.0 body parameters and definitions', () => {
    const swagger = buildOpenApiModel(
      parseDefinition(`
swagger: '2.0'
info: { title: Old, version: '1' }
host: api.example.com
basePath: /v1
paths:
  /pets:
    post:
      parameters: [{ name: body, in: body, required: true, schema: { $ref: '#/definitions/Pet' } }]
      responses: { '201': { description: created, schema: { $ref: '#/definitions/Pet' } } }
definitions:
  Pet: { type: object, properties: { name: { type: string } } }
`),
    );
    expect(swagger.servers).toEqual([{ url: 'https://api.example.com/v1' }]);
    const post = swagger.tags[0]!.operations[0]!;
    expect(post.parameters).toEqual([]);
    expect(post.requestBody).toMatchObject({ required: true, contents: [{ mediaType: 'application/json' }] });
    expect(post.responses[0]!.contents).toHaveLength(1);
    expect(swagger.schemas.map((s) => s.name)).toEqual(['Pet']);
  });

  it('rejects a definition that is not an object', () => {
    expect(() => parseDefinition('just text')).toThrow(/not a YAML or JSON object/);
  });
});

describe('filterOperations', () => {
  const ops = buildOpenApiModel(parseDefinition(spec)).tags.flatMap((t) => t.operations);
  it('matches every word against method, path, summary, id and tags', () => {
    expect(filterOperations(ops, 'get order').map((o) => o.id)).toEqual(['getOrder']);
    expect(filterOperations(ops, 'health').map((o) => o.id)).toEqual(['GET /health']);
    expect(filterOperations(ops, '  ')).toHaveLength(3);
  });
});

describe('sampleFromSchema', () => {
  const document = parseDefinition(spec);
  it('builds a request body of the right shape, leaving out read-only fields and stopping at recursion', () => {
    expect(sampleFromSchema({ $ref: '#/components/schemas/Order' }, document)).toEqual({
      lines: [{ sku: 'ABC-1', quantity: 1 }],
      parent: null,
    });
  });
});
