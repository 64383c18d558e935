import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ValidationIssue } from './entity.js';
import { formatFieldPath, isRecord, pointerToSegments, quoteValue, type PathSegment } from './fieldPath.js';

// ajv-formats is CommonJS with a default export; under NodeNext the callable is on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/**
 * The ajv instance used for entity validation. It never modifies the data (no defaults,
 * no coercion), reports every error, and is not strict about unknown keywords, because
 * kind schemas (custom ones especially) carry annotations such as `ui:field`.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

const PLACEHOLDER_KEYS = ['$text', '$json', '$yaml'];

/** Describes a JSON value's type for a message: `an array`, `a number (7)`, `null`. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${typeof value === 'string' ? quoteValue(value) : String(value)})`;
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function placeholderHint(value: unknown): string {
  if (!isRecord(value)) return '';
  const keys = Object.keys(value);
  if (keys.length === 1 && PLACEHOLDER_KEYS.includes(keys[0] ?? '')) {
    return ` (it is an unresolved ${keys[0]} placeholder; the catalog substitutes these when it reads the descriptor)`;
  }
  return '';
}

function valueAt(data: unknown, segments: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of segments) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isRecord(current) && typeof segment === 'string') current = current[segment];
    else return undefined;
  }
  return current;
}

function describeError(error: ErrorObject, path: string, value: unknown): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${path} is required`;
    case 'additionalProperties':
      return `${path} is not an allowed field here`;
    case 'type': {
      const types = String(p.type).split(',').map(withArticle).join(' or ');
      return `${path} must be ${types}, but is ${describeType(value)}${placeholderHint(value)}`;
    }
    case 'minLength':
      return p.limit === 1 ? `${path} must not be empty` : `${path} must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `${path} must be at most ${String(p.limit)} characters long`;
    case 'minItems':
      return `${path} must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `${path} must have at most ${String(p.limit)} items`;
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return `${path} must be one of ${allowed}, but is ${quoteValue(value)}`;
    }
    case 'const':
      return `${path} must be ${JSON.stringify(p.allowedValue)}, but is ${quoteValue(value)}`;
    case 'pattern':
      return `${path} ${quoteValue(value)} must match the pattern /${String(p.pattern)}/`;
    case 'format':
      return `${path} ${quoteValue(value)} must be a valid ${String(p.format)}`;
    case 'anyOf':
      return `${path} ${quoteValue(value)} does not match any of the allowed forms`;
    case 'oneOf':
      return `${path} ${quoteValue(value)} must match exactly one of the allowed forms`;
    default:
      return `${path} ${error.message ?? 'is not valid'}`;
  }
}

/**
 * Turns ajv errors into validation issues with readable field paths. `data` is the value
 * that was validated and `base` the path segments that lead to it (e.g. `['spec']`).
 * Errors from inside anyOf/oneOf branches and if/then/else bookkeeping are folded into
 * one message each, so a single mistake reads as a single issue.
 */
export function ajvErrorsToIssues(errors: readonly ErrorObject[] | null | undefined, data: unknown, base: readonly PathSegment[] = []): ValidationIssue[] {
  const all = errors ?? [];
  // ajv reports a failed anyOf/oneOf right after the errors of its branches, which sit at or
  // under the same instance path; those branch errors are noise once the summary is there.
  const hidden = new Set<number>();
  all.forEach((error, index) => {
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') return;
    const at = error.instancePath;
    for (let i = index - 1; i >= 0; i--) {
      const p = all[i]?.instancePath ?? '';
      if (p !== at && !p.startsWith(`${at}/`)) break;
      hidden.add(i);
    }
  });
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const [index, error] of all.entries()) {
    if (error.keyword === 'if' || hidden.has(index)) continue;
    const segments = pointerToSegments(error.instancePath, data);
    const value = valueAt(data, segments);
    const p = error.params as Record<string, unknown>;
    if (error.keyword === 'required') segments.push(String(p.missingProperty));
    if (error.keyword === 'additionalProperties') segments.push(String(p.additionalProperty));
    const path = formatFieldPath([...base, ...segments]);
    const message = describeError(error, path || 'the entity', value);
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path, message });
  }
  return issues;
}
