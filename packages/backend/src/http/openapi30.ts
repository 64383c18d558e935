type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keywords an OpenAPI 3.0 Schema Object may hold (plus `x-` extensions). */
const OAS30_KEYWORDS = new Set([
  '$ref',
  'title',
  'description',
  'type',
  'format',
  'default',
  'enum',
  'nullable',
  'example',
  'deprecated',
  'readOnly',
  'writeOnly',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'items',
  'maxProperties',
  'minProperties',
  'required',
  'properties',
  'additionalProperties',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'discriminator',
  'xml',
  'externalDocs',
]);

const isNullSchema = (s: unknown) => isObject(s) && s['type'] === 'null' && Object.keys(s).length === 1;

/**
 * Rewrites a JSON Schema (draft 2019+/OpenAPI 3.1 style, as plugins write them for Ajv) into an
 * OpenAPI 3.0 Schema Object: `type: "null"` and null in type lists become `nullable: true`, a list
 * of several types becomes `anyOf`, `const` becomes a one-value `enum`, numeric
 * `exclusiveMinimum`/`exclusiveMaximum` become the 3.0 boolean form, `examples` becomes
 * `example`. Keywords 3.0 does not know are kept under `x-json-schema`, so nothing is lost.
 */
export function toOpenApi30Schema(schema: unknown): unknown {
  if (schema === true) return {};
  if (schema === false) return { not: {} };
  if (!isObject(schema)) return schema;
  if (typeof schema['$ref'] === 'string') return { ...schema };
  const out: Json = {};
  const extra: Json = {};
  let nullable = schema['nullable'] === true;
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-')) out[key] = value;
    else if (key === 'type') {
      const types = (Array.isArray(value) ? value : [value]) as string[];
      const rest = types.filter((t) => t !== 'null');
      if (rest.length < types.length) nullable = true;
      if (rest.length === 1) out['type'] = rest[0];
      else if (rest.length > 1) out['anyOf'] = rest.map((t) => ({ type: t }));
      else if (!('enum' in schema) && !('const' in schema)) out['enum'] = [null];
    } else if (key === 'const') {
      if (!('enum' in schema)) out['enum'] = [value];
    } else if (key === 'examples') {
      if (Array.isArray(value) && value.length > 0 && !('example' in schema)) out['example'] = value[0];
    } else if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'number') {
      out[key === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = value;
      out[key] = true;
    } else if (key === 'properties' && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, toOpenApi30Schema(s)]));
    } else if (key === 'additionalProperties') {
      out[key] = typeof value === 'boolean' ? value : toOpenApi30Schema(value);
    } else if (key === 'items') {
      out[key] = Array.isArray(value) ? { anyOf: value.map(toOpenApi30Schema) } : toOpenApi30Schema(value);
    } else if (key === 'not') {
      out[key] = toOpenApi30Schema(value);
    } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
      const members = key === 'allOf' ? value : value.filter((m) => !isNullSchema(m));
      if (members.length < value.length) nullable = true;
      if (members.length > 0) out[key] = members.map(toOpenApi30Schema);
    } else if (OAS30_KEYWORDS.has(key)) {
      out[key] = value;
    } else {
      extra[key] = value;
    }
  }
  if (nullable) out['nullable'] = true;
  if (Object.keys(extra).length > 0) out['x-json-schema'] = extra;
  return out;
}

const OPERATIONS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function convertContent(content: unknown): void {
  if (!isObject(content)) return;
  for (const media of Object.values(content)) if (isObject(media) && 'schema' in media) media['schema'] = toOpenApi30Schema(media['schema']);
}

function convertParameters(parameters: unknown): void {
  if (!Array.isArray(parameters)) return;
  for (const p of parameters) {
    if (!isObject(p)) continue;
    if ('schema' in p) p['schema'] = toOpenApi30Schema(p['schema']);
    convertContent(p['content']);
  }
}

function convertResponses(responses: unknown): void {
  if (!isObject(responses)) return;
  for (const r of Object.values(responses)) {
    if (!isObject(r)) continue;
    convertContent(r['content']);
    if (isObject(r['headers'])) for (const h of Object.values(r['headers'])) if (isObject(h) && 'schema' in h) h['schema'] = toOpenApi30Schema(h['schema']);
  }
}

/** Converts every Schema Object of an OpenAPI document to the 3.0 dialect, in place. */
export function toOpenApi30Document(document: Json): Json {
  const components = isObject(document['components']) ? document['components'] : undefined;
  if (components && isObject(components['schemas'])) {
    for (const [name, s] of Object.entries(components['schemas'])) components['schemas'][name] = toOpenApi30Schema(s);
  }
  if (components) {
    if (isObject(components['parameters'])) convertParameters(Object.values(components['parameters']));
    if (isObject(components['requestBodies'])) for (const b of Object.values(components['requestBodies'])) if (isObject(b)) convertContent(b['content']);
    convertResponses(components['responses']);
  }
  if (isObject(document['paths'])) {
    for (const item of Object.values(document['paths'])) {
      if (!isObject(item)) continue;
      convertParameters(item['parameters']);
      for (const method of OPERATIONS) {
        const op = item[method];
        if (!isObject(op)) continue;
        convertParameters(op['parameters']);
        if (isObject(op['requestBody'])) convertContent(op['requestBody']['content']);
        convertResponses(op['responses']);
      }
    }
  }
  return document;
}
