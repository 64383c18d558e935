import { load } from 'js-yaml';

/**
 * An OpenAPI (3.x, and Swagger 2.0) document reduced to what a reference page shows:
 * operations grouped by tag, their parameters, bodies and responses, and the named schemas.
 * Schemas stay as JSON Schema objects; `$ref`s are resolved lazily by `resolveRef`, so a
 * recursive schema does not make the model infinite.
 */

export type JsonObject = Record<string, unknown>;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface ApiParameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  deprecated: boolean;
  schema?: JsonObject;
  example?: unknown;
}

export interface ApiContent {
  mediaType: string;
  schema?: JsonObject;
  example?: unknown;
}

export interface ApiResponse {
  status: string;
  description?: string;
  contents: ApiContent[];
}

export interface ApiOperation {
  /** Unique within the document: the operationId, or `METHOD path`. */
  id: string;
  method: HttpMethod;
  path: string;
  summary?: string;
  description?: string;
  deprecated: boolean;
  tags: string[];
  parameters: ApiParameter[];
  requestBody?: { required: boolean; description?: string; contents: ApiContent[] };
  responses: ApiResponse[];
  security: string[];
}

export interface OpenApiModel {
  version: string;
  title: string;
  apiVersion?: string;
  description?: string;
  servers: Array<{ url: string; description?: string }>;
  tags: Array<{ name: string; description?: string; operations: ApiOperation[] }>;
  schemas: Array<{ name: string; schema: JsonObject }>;
  /** The whole parsed document, for resolving `$ref`s. */
  document: JsonObject;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** Parses a YAML or JSON definition; throws with the parser's message when it is not an object. */
export function parseDefinition(definition: string): JsonObject {
  const parsed = load(definition);
  if (!isObject(parsed)) throw new Error('The definition is not a YAML or JSON object.');
  return parsed;
}

/** Follows a local `$ref` (`#/components/schemas/Order`); returns undefined for remote or broken refs. */
export function resolveRef(document: JsonObject, ref: string): JsonObject | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let current: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (!isObject(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return isObject(current) ? current : undefined;
}

/** An object with its `$ref` followed (one level, repeatedly, up to a limit). */
export function deref(document: JsonObject, value: unknown): JsonObject | undefined {
  let current = isObject(value) ? value : undefined;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 20; hops++) {
    current = resolveRef(document, current.$ref);
  }
  return current;
}

/** The last segment of a `$ref`, used as a schema's name: `#/components/schemas/Order` → `Order`. */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

export function buildOpenApiModel(document: JsonObject): OpenApiModel {
  const swagger2 = typeof document.swagger === 'string';
  const info = isObject(document.info) ? document.info : {};
  const operations: ApiOperation[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = deref(document, rawItem);
    if (!item) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of HTTP_METHODS) {
      const op = deref(document, item[method]);
      if (!op) continue;
      operations.push(buildOperation(document, method, path, op, shared, swagger2));
    }
  }

  const declaredTags = Array.isArray(document.tags) ? document.tags.filter(isObject) : [];
  const tags = new Map<string, { name: string; description?: string; operations: ApiOperation[] }>();
  for (const tag of declaredTags) {
    const name = text(tag.name);
    if (name) tags.set(name, { name, ...(text(tag.description) ? { description: text(tag.description) } : {}), operations: [] });
  }
  for (const operation of operations) {
    for (const tag of operation.tags.length > 0 ? operation.tags : ['default']) {
      if (!tags.has(tag)) tags.set(tag, { name: tag, operations: [] });
      tags.get(tag)!.operations.push(operation);
    }
  }

  const schemaSource = swagger2 ? document.definitions : isObject(document.components) ? document.components.schemas : undefined;
  const schemas = isObject(schemaSource)
    ? Object.entries(schemaSource)
        .filter((entry): entry is [string, JsonObject] => isObject(entry[1]))
        .map(([name, schema]) => ({ name, schema }))
    : [];

  return {
    version: swagger2 ? `Swagger ${String(document.swagger)}` : `OpenAPI ${String(document.openapi ?? '?')}`,
    title: text(info.title) ?? 'Untitled API',
    ...(text(info.version) ? { apiVersion: text(info.version) } : {}),
    ...(text(info.description) ? { description: text(info.description) } : {}),
    servers: swagger2 ? swagger2Servers(document) : servers(document),
    tags: [...tags.values()].filter((t) => t.operations.length > 0),
    schemas,
    document,
  };
}

function buildOperation(document: JsonObject, method: HttpMethod, path: string, op: JsonObject, shared: unknown[], swagger2: boolean): ApiOperation {
  const byKey = new Map<string, JsonObject>();
  for (const raw of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
    const param = deref(document, raw);
    if (param && typeof param.name === 'string') byKey.set(`${String(param.in)}:${param.name}`, param);
  }
  const allParams = [...byKey.values()];
  const bodyParam = swagger2 ? allParams.find((p) => p.in === 'body') : undefined;
  const parameters: ApiParameter[] = allParams
    .filter((p) => p !== bodyParam && p.in !== 'formData')
    .map((p) => ({
      name: String(p.name),
      in: String(p.in ?? 'query'),
      required: p.required === true || p.in === 'path',
      ...(text(p.description) ? { description: text(p.description) } : {}),
      deprecated: p.deprecated === true,
      ...(isObject(p.schema)
        ? { schema: p.schema }
        : swagger2 && typeof p.type === 'string'
          ? { schema: { type: p.type, ...(isObject(p.items) ? { items: p.items } : {}) } }
          : {}),
      ...(p.example !== undefined ? { example: p.example } : {}),
    }));

  let requestBody: ApiOperation['requestBody'];
  if (bodyParam) {
    const consumes = Array.isArray(op.consumes) ? op.consumes : Array.isArray(document.consumes) ? document.consumes : ['application/json'];
    requestBody = {
      required: bodyParam.required === true,
      ...(text(bodyParam.description) ? { description: text(bodyParam.description) } : {}),
      contents: consumes.map((mediaType) => ({ mediaType: String(mediaType), ...(isObject(bodyParam.schema) ? { schema: bodyParam.schema } : {}) })),
    };
  } else {
    const body = deref(document, op.requestBody);
    if (body) {
      requestBody = {
        required: body.required === true,
        ...(text(body.description) ? { description: text(body.description) } : {}),
        contents: contentsOf(body.content),
      };
    }
  }

  const responses: ApiResponse[] = Object.entries(isObject(op.responses) ? op.responses : {}).map(([status, raw]) => {
    const response = deref(document, raw) ?? {};
    const contents = swagger2 ? (isObject(response.schema) ? [{ mediaType: 'application/json', schema: response.schema }] : []) : contentsOf(response.content);
    return { status, ...(text(response.description) ? { description: text(response.description) } : {}), contents };
  });

  const security = (Array.isArray(op.security) ? op.security : Array.isArray(document.security) ? document.security : [])
    .filter(isObject)
    .flatMap((requirement) => Object.keys(requirement));

  return {
    id: text(op.operationId) ?? `${method.toUpperCase()} ${path}`,
    method,
    path,
    ...(text(op.summary) ? { summary: text(op.summary) } : {}),
    ...(text(op.description) ? { description: text(op.description) } : {}),
    deprecated: op.deprecated === true,
    tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string') : [],
    parameters,
    ...(requestBody ? { requestBody } : {}),
    responses,
    security: [...new Set(security)],
  };
}

function contentsOf(content: unknown): ApiContent[] {
  if (!isObject(content)) return [];
  return Object.entries(content).map(([mediaType, raw]) => {
    const media = isObject(raw) ? raw : {};
    const firstExample = isObject(media.examples) ? Object.values(media.examples).find(isObject)?.value : undefined;
    const example = media.example ?? firstExample;
    return { mediaType, ...(isObject(media.schema) ? { schema: media.schema } : {}), ...(example !== undefined ? { example } : {}) };
  });
}

function servers(document: JsonObject): OpenApiModel['servers'] {
  return (Array.isArray(document.servers) ? document.servers : []).filter(isObject).flatMap((server) => {
    let url = text(server.url);
    if (!url) return [];
    // Fill server variables with their defaults: https://{region}.example.com → https://eu.example.com
    const variables = isObject(server.variables) ? server.variables : {};
    url = url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
      const variable = variables[name];
      return isObject(variable) && variable.default !== undefined ? String(variable.default) : whole;
    });
    return [{ url, ...(text(server.description) ? { description: text(server.description) } : {}) }];
  });
}

function swagger2Servers(document: JsonObject): OpenApiModel['servers'] {
  const host = text(document.host);
  if (!host) return [];
  const schemes = Array.isArray(document.schemes) && document.schemes.length > 0 ? document.schemes : ['https'];
  return schemes.map((scheme) => ({ url: `${String(scheme)}://${host}${text(document.basePath) ?? ''}` }));
}

/** Operations whose path, summary, id or tag contain every word of the search. */
export function filterOperations(operations: readonly ApiOperation[], search: string): ApiOperation[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...operations];
  return operations.filter((op) => {
    const haystack = `${op.method} ${op.path} ${op.summary ?? ''} ${op.id} ${op.tags.join(' ')}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

/**
 * A sample value for a schema, for pre-filling a request body: its example or default when it
 * has one, otherwise a value of the right shape (`""`, `0`, `false`, one array item, every
 * property). Recursion stops at a repeated `$ref` or a depth limit.
 */
export function sampleFromSchema(schema: unknown, document: JsonObject, seen: readonly string[] = []): unknown {
  const ref = isObject(schema) && typeof schema.$ref === 'string' ? schema.$ref : undefined;
  if (ref && seen.includes(ref)) return null;
  const resolved = deref(document, schema);
  if (!resolved || seen.length > 8) return null;
  const nextSeen = ref ? [...seen, ref] : [...seen, `#depth${seen.length}`];
  if (resolved.example !== undefined) return resolved.example;
  if (resolved.default !== undefined) return resolved.default;
  if (Array.isArray(resolved.enum) && resolved.enum.length > 0) return resolved.enum[0];
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(resolved[key]) && resolved[key].length > 0) return sampleFromSchema(resolved[key][0], document, nextSeen);
  }
  if (Array.isArray(resolved.allOf)) {
    return Object.assign({}, ...resolved.allOf.map((part) => sampleFromSchema(part, document, nextSeen)).filter(isObject));
  }
  const type = Array.isArray(resolved.type) ? resolved.type.find((t) => t !== 'null') : resolved.type;
  if (type === 'object' || isObject(resolved.properties)) {
    const properties = isObject(resolved.properties) ? resolved.properties : {};
    return Object.fromEntries(
      Object.entries(properties)
        .filter(([, property]) => !(isObject(property) && property.readOnly === true))
        .map(([name, property]) => [name, sampleFromSchema(property, document, nextSeen)]),
    );
  }
  if (type === 'array') return [sampleFromSchema(resolved.items, document, nextSeen)];
  if (type === 'integer' || type === 'number') return typeof resolved.minimum === 'number' ? resolved.minimum : 0;
  if (type === 'boolean') return false;
  if (type === 'string') {
    const formats: Record<string, string> = {
      'date-time': '2025-01-31T12:00:00Z',
      date: '2025-01-31',
      email: 'user@example.com',
      uuid: '00000000-0000-4000-8000-000000000000',
      uri: 'https://example.com',
    };
    return formats[String(resolved.format)] ?? 'string';
  }
  return null;
}
