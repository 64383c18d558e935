import type { RJSFValidationError } from '@rjsf/utils';
import { describePattern } from './describePattern';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Rewrites rjsf/AJV validation errors ("must match pattern "^[a-z0-9]+…"") as sentences a user
 * can act on, one per problem. A message the template gives wins, in Backstage's form (the
 * ajv-errors `errorMessage` keyword: on the page, `errorMessage.properties.<field>` or
 * `errorMessage.required.<field>`; on the field, a string or a map by keyword). Otherwise the
 * field's title names it, and a pattern error explains the expected format from `ui:help`,
 * the pattern itself when it is a simple one, or the field's description.
 */
export function humanizeErrors(errors: RJSFValidationError[], schema: Json, uiSchema: Json = {}): RJSFValidationError[] {
  const out: RJSFValidationError[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // An `if` failure is always reported again by the `then`/`else` branch that failed.
    if (error.name === 'if') continue;
    const message = messageFor(error, schema, uiSchema);
    const key = `${normalizeProperty(error.property)}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...error, message, stack: message });
  }
  return out;
}

function messageFor(error: RJSFValidationError, root: Json, uiRoot: Json): string {
  const keyword = error.name ?? '';
  const params = (error.params ?? {}) as Json;
  const where = locate(error, root);
  const ui = uiAt(uiRoot, normalizeProperty(error.property));
  const field = where.field ?? {};
  const label = stringOr(field['title']) ?? stringOr(ui['ui:title']) ?? where.name ?? 'This value';

  const custom = templateMessage(keyword, where);
  if (custom) return custom;

  switch (keyword) {
    case 'required':
      return `${label} is required.`;
    case 'pattern': {
      const hint = stringOr(ui['ui:help']) ?? describePattern(String(params['pattern'] ?? field['pattern'] ?? '')) ?? stringOr(field['description']);
      return hint ? `${label} is not in the expected format. ${sentence(hint)}` : `${label} is not in the expected format.`;
    }
    case 'minLength': {
      const n = Number(params['limit']);
      return n <= 1 ? `${label} must not be empty.` : `${label} needs at least ${n} characters.`;
    }
    case 'maxLength':
      return `${label} can have at most ${Number(params['limit'])} characters.`;
    case 'minimum':
      return `${label} must be ${String(params['limit'])} or more.`;
    case 'exclusiveMinimum':
      return `${label} must be more than ${String(params['limit'])}.`;
    case 'maximum':
      return `${label} must be ${String(params['limit'])} or less.`;
    case 'exclusiveMaximum':
      return `${label} must be less than ${String(params['limit'])}.`;
    case 'multipleOf':
      return `${label} must be a multiple of ${String(params['multipleOf'])}.`;
    case 'type':
      return `${label} must be ${TYPE_WORDS[String(params['type'])] ?? `of type ${String(params['type'])}`}.`;
    case 'enum': {
      const allowed = Array.isArray(params['allowedValues'])
        ? (params['allowedValues'] as unknown[])
        : Array.isArray(field['enum'])
          ? (field['enum'] as unknown[])
          : [];
      return allowed.length > 0 && allowed.length <= 6
        ? `${label} must be one of: ${allowed.map(show).join(', ')}.`
        : `Pick one of the offered values for ${label}.`;
    }
    case 'const':
      return `${label} must be ${show(params['allowedValue'])}.`;
    case 'format':
      return `${label} must be ${FORMAT_WORDS[String(params['format'])] ?? `a valid ${String(params['format'])}`}.`;
    case 'minItems': {
      const n = Number(params['limit']);
      return `${label} needs at least ${n} ${n === 1 ? 'entry' : 'entries'}.`;
    }
    case 'maxItems': {
      const n = Number(params['limit']);
      return `${label} can have at most ${n} ${n === 1 ? 'entry' : 'entries'}.`;
    }
    case 'uniqueItems':
      return `${label} lists the same value more than once.`;
    case 'additionalProperties':
      return `${label} has a field this form does not know: ${show(params['additionalProperty'])}.`;
    case 'oneOf':
    case 'anyOf':
      return `${label} does not match any of the allowed choices.`;
    default:
      return `${label} is not valid.`;
  }
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a group of fields',
  null: 'empty',
};

const FORMAT_WORDS: Record<string, string> = {
  email: 'an email address',
  uri: 'a full URL such as https://example.com',
  url: 'a full URL such as https://example.com',
  'uri-reference': 'a URL or a path',
  date: 'a date (YYYY-MM-DD)',
  'date-time': 'a date and time (YYYY-MM-DDThh:mm:ssZ)',
  time: 'a time (hh:mm:ss)',
  hostname: 'a host name such as example.com',
  ipv4: 'an IPv4 address such as 10.0.0.1',
  ipv6: 'an IPv6 address',
  uuid: 'a UUID',
};

/** Where the failing keyword sits: the field's schema, its name, and the object schema holding it. */
function locate(error: RJSFValidationError, root: Json): { field?: Json; name?: string; parent?: Json } {
  const segments = (error.schemaPath ?? '').replace(/^#\/?/, '').split('/').filter(Boolean).map(unescapePointer);
  const params = (error.params ?? {}) as Json;
  if (error.name === 'required') {
    const parent = pointer(root, segments.slice(0, -1));
    const name = stringOr(params['missingProperty']);
    const props = parent && isObject(parent['properties']) ? parent['properties'] : {};
    const field = name ? (isObject(props[name]) ? props[name] : byInstancePath(root, [...propertySegments(error.property).slice(0, -1), name])) : undefined;
    return { ...(field ? { field } : {}), ...(name ? { name } : {}), ...(parent ? { parent } : {}) };
  }
  const fieldSegments = segments.slice(0, -1);
  const field = pointer(root, fieldSegments) ?? byInstancePath(root, propertySegments(error.property));
  const propertyNames = propertySegments(error.property).filter((s) => !/^\d+$/.test(s));
  const name = fieldSegments.at(-2) === 'properties' ? fieldSegments.at(-1) : propertyNames.at(-1);
  const parent = fieldSegments.at(-2) === 'properties' ? pointer(root, fieldSegments.slice(0, -2)) : undefined;
  return { ...(field ? { field } : {}), ...(name ? { name } : {}), ...(parent ? { parent } : {}) };
}

/** A message the template wrote for this error (Backstage's ajv-errors `errorMessage` convention). */
function templateMessage(keyword: string, where: { field?: Json; name?: string; parent?: Json }): string | undefined {
  const own = where.field?.['errorMessage'];
  if (typeof own === 'string') return own;
  if (isObject(own) && typeof own[keyword] === 'string') return own[keyword] as string;
  const onParent = where.parent?.['errorMessage'];
  if (!isObject(onParent) || !where.name) return undefined;
  if (keyword === 'required') {
    const required = onParent['required'];
    if (typeof required === 'string') return required;
    if (isObject(required) && typeof required[where.name] === 'string') return required[where.name] as string;
    return undefined;
  }
  const properties = onParent['properties'];
  return isObject(properties) && typeof properties[where.name] === 'string' ? (properties[where.name] as string) : undefined;
}

function pointer(root: Json, segments: string[]): Json | undefined {
  let node: unknown = root;
  for (const s of segments) {
    if (Array.isArray(node)) node = node[Number(s)];
    else if (isObject(node)) node = node[s];
    else return undefined;
  }
  return isObject(node) ? node : undefined;
}

/** The schema of a value by its instance path, through `properties` and `items` only. */
function byInstancePath(root: Json, segments: string[]): Json | undefined {
  let node: Json | undefined = root;
  for (const s of segments) {
    if (!node) return undefined;
    if (/^\d+$/.test(s) && isObject(node['items'])) node = node['items'];
    else node = isObject(node['properties']) && isObject(node['properties'][s]) ? node['properties'][s] : undefined;
  }
  return node;
}

function uiAt(uiRoot: Json, property: string): Json {
  let node: unknown = uiRoot;
  for (const s of propertySegments(property)) {
    const next: unknown = isObject(node) ? (/^\d+$/.test(s) ? node['items'] : node[s]) : undefined;
    node = next;
  }
  return isObject(node) ? node : {};
}

function propertySegments(property: string | undefined): string[] {
  return (property ?? '').split('.').filter(Boolean);
}

function normalizeProperty(property: string | undefined): string {
  return propertySegments(property).join('.');
}

function unescapePointer(s: string): string {
  let decoded = s;
  try {
    decoded = decodeURIComponent(s);
  } catch {
    // not URI-encoded
  }
  return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
}

function stringOr(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function sentence(s: string): string {
  const t = s.trim();
  const capital = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?)]$/.test(capital) ? capital : `${capital}.`;
}
