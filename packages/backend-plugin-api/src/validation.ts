import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { InputError } from './errors.js';

// ajv-formats is CJS with a default export; under NodeNext the callable sits on .default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

export type JsonSchema = Record<string, unknown>;

export interface FieldError {
  /** Dot path of the offending field, e.g. `body.spec.owner` or `query.limit`. */
  path: string;
  message: string;
}

/** A shared ajv instance: all errors, defaults applied, strings coerced where the schema says. */
export function createAjv(options: { coerceTypes?: boolean | 'array'; useDefaults?: boolean } = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    useDefaults: options.useDefaults ?? true,
    coerceTypes: options.coerceTypes ?? false,
  });
  addFormats(ajv);
  return ajv;
}

/** Turns ajv errors into field errors with readable dot paths. */
export function toFieldErrors(errors: ErrorObject[] | null | undefined, root: string): FieldError[] {
  return (errors ?? []).map((e) => {
    const segments = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (e.keyword === 'required') segments.push(String(e.params['missingProperty']));
    if (e.keyword === 'additionalProperties') segments.push(String(e.params['additionalProperty']));
    const path = [root, ...segments].filter(Boolean).join('.');
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') message = 'is required';
    if (e.keyword === 'additionalProperties') message = 'is not an allowed property';
    if (e.keyword === 'enum') message = `must be one of ${JSON.stringify(e.params['allowedValues'])}`;
    return { path, message };
  });
}

export function formatFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.path} ${e.message}`).join('; ');
}

const bodyAjv = createAjv();
const queryAjv = createAjv({ coerceTypes: 'array' });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function compile(ajv: Ajv, schema: JsonSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/**
 * The validator of one request part, compiled now (once per schema object): it returns the value
 * typed, or throws an InputError (400) that lists every offending field. Routes compile theirs
 * when they are mounted, so a request only runs the compiled function.
 */
export function inputValidator<T>(schema: JsonSchema, where: 'body' | 'query' | 'params'): (value: unknown) => T {
  const fn = compile(where === 'body' ? bodyAjv : queryAjv, schema);
  return (value) => {
    if (!fn(value)) {
      const errors = toFieldErrors(fn.errors, where);
      throw new InputError(`Invalid request ${where}: ${formatFieldErrors(errors)}`, { errors });
    }
    return value as T;
  };
}

/**
 * Validates a value against a JSON Schema and returns it typed, or throws an InputError (400)
 * that lists every offending field. `where` names the part of the request: body, query, params.
 */
export function validateInput<T>(schema: JsonSchema, value: unknown, where: 'body' | 'query' | 'params'): T {
  return inputValidator<T>(schema, where)(value);
}
