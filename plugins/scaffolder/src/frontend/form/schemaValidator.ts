import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import {
  createErrorHandler,
  getDefaultFormState,
  toErrorSchema,
  unwrapErrorHandler,
  validationDataMerge,
  type CustomValidator,
  type ErrorTransformer,
  type RJSFSchema,
  type RJSFValidationError,
  type UiSchema,
  type ValidationData,
  type ValidatorType,
} from '@rjsf/utils';

type Json = Record<string, unknown>;

/** An AJV-shaped error (what rjsf's own validators hand on), built from an interpreter's output. */
export interface RawSchemaError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Json;
  message: string;
}

/**
 * The template form's JSON Schema validator, for rjsf. Ajv (rjsf's usual validator) compiles
 * every schema with `new Function`, which the app's Content-Security-Policy forbids
 * (`script-src 'self'`, no `'unsafe-eval'`); @cfworker/json-schema interprets the schema
 * instead, so the form validates live under the strict policy. Errors come out in Ajv's shape
 * (keyword, instance path, schema path, params) for humanizeErrors to put into words.
 */
export class InterpretingValidator implements ValidatorType<unknown, RJSFSchema> {
  private readonly cache = new WeakMap<object, { all: Validator; first: Validator }>();

  rawValidation<Result = RawSchemaError>(schema: RJSFSchema, formData?: unknown): { errors?: Result[]; validationError?: Error } {
    try {
      const result = this.validatorFor(schema, false).validate(formData);
      if (result.valid) return {};
      return { errors: leafErrors(result.errors, schema as Json) as Result[] };
    } catch (e) {
      return { validationError: e instanceof Error ? e : new Error(String(e)) };
    }
  }

  validateFormData(
    formData: unknown,
    schema: RJSFSchema,
    customValidate?: CustomValidator<unknown, RJSFSchema>,
    transformErrors?: ErrorTransformer<unknown, RJSFSchema>,
    uiSchema?: UiSchema<unknown, RJSFSchema>,
  ): ValidationData<unknown> {
    const raw = this.rawValidation<RawSchemaError>(schema, formData);
    let errors: RJSFValidationError[] = (raw.errors ?? []).map(toRjsfError);
    if (raw.validationError)
      errors.push({
        stack: `The form's schema is invalid: ${raw.validationError.message}`,
        message: `The form's schema is invalid: ${raw.validationError.message}`,
      });
    if (transformErrors) errors = transformErrors(errors, uiSchema);
    const errorSchema = toErrorSchema<unknown>(errors);
    if (!customValidate) return { errors, errorSchema };
    const withDefaults = getDefaultFormState<unknown, RJSFSchema>(this, schema, formData, schema, true);
    const handler = customValidate(withDefaults, createErrorHandler<unknown>(withDefaults), uiSchema, errorSchema);
    return validationDataMerge<unknown>({ errors, errorSchema }, unwrapErrorHandler<unknown>(handler));
  }

  isValid(schema: RJSFSchema, formData: unknown, rootSchema: RJSFSchema): boolean {
    try {
      return this.validatorFor(withRootDefinitions(schema, rootSchema), true).validate(formData).valid;
    } catch {
      return false;
    }
  }

  reset(): void {
    // Validators are cached per schema object and dropped with it.
  }

  private validatorFor(schema: RJSFSchema, shortCircuit: boolean): Validator {
    let entry = this.cache.get(schema);
    if (!entry) {
      const copy = structuredClone(schema) as Schema;
      entry = { all: new Validator(copy, '7', false), first: new Validator(copy, '7', true) };
      this.cache.set(schema, entry);
    }
    return shortCircuit ? entry.first : entry.all;
  }
}

export const schemaValidator = new InterpretingValidator();

/** A subschema rjsf checks (a dependency branch, say) may `$ref` the root's definitions. */
function withRootDefinitions(schema: RJSFSchema, root: RJSFSchema): RJSFSchema {
  if (schema === root) return schema;
  const defs = (root as Json)['definitions'];
  const $defs = (root as Json)['$defs'];
  if (!defs && !$defs) return schema;
  return { ...schema, ...(defs && !schema.definitions ? { definitions: defs } : {}), ...($defs && !(schema as Json)['$defs'] ? { $defs } : {}) } as RJSFSchema;
}

/** Keywords whose failure only says "something below failed": their children carry the reason. */
const CONTAINERS = new Set([
  'properties',
  'patternProperties',
  'items',
  'additionalItems',
  'prefixItems',
  'dependencies',
  'dependentSchemas',
  'allOf',
  '$ref',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
]);

/**
 * The errors a user can act on. Branches of a failed `oneOf`/`anyOf` whose discriminating
 * `const`/`enum` does not match are not the branch the user is filling in: their errors are
 * dropped, as is a branch choice made by rjsf `dependencies` (the field's own error says it).
 */
function leafErrors(units: OutputUnit[], schema: Json): RawSchemaError[] {
  const out: RawSchemaError[] = [];
  const branchOf = (location: string) => /^(.*\/(?:oneOf|anyOf)\/\d+)(?:\/|$)/.exec(location)?.[1];
  const inapplicable = new Set<string>();
  for (const u of units) {
    const branch = branchOf(u.keywordLocation);
    if (branch && (u.keyword === 'const' || u.keyword === 'enum')) inapplicable.add(branch);
  }
  for (const u of units) {
    if (CONTAINERS.has(u.keyword)) continue;
    const branch = branchOf(u.keywordLocation);
    if (branch && [...inapplicable].some((b) => u.keywordLocation.startsWith(`${b}/`) || u.keywordLocation === b)) continue;
    if ((u.keyword === 'oneOf' || u.keyword === 'anyOf') && /\/dependencies\//.test(u.keywordLocation)) continue;
    out.push(toRaw(u, schema));
  }
  return out;
}

function toRaw(u: OutputUnit, root: Json): RawSchemaError {
  const instancePath = u.instanceLocation.replace(/^#/, '');
  const schemaPath = u.keywordLocation.startsWith('#') ? u.keywordLocation : `#${u.keywordLocation}`;
  const value = pointer(root, schemaPath);
  const params: Json = {};
  switch (u.keyword) {
    case 'required': {
      const missing = /property "(.*)"/.exec(u.error)?.[1];
      if (missing !== undefined) params['missingProperty'] = missing;
      break;
    }
    case 'additionalProperties': {
      const extra = /property "(.*?)"/.exec(u.error)?.[1];
      if (extra !== undefined) params['additionalProperty'] = extra;
      break;
    }
    case 'pattern':
      params['pattern'] = value;
      break;
    case 'enum':
      params['allowedValues'] = value;
      break;
    case 'const':
      params['allowedValue'] = value;
      break;
    case 'type':
      params['type'] = Array.isArray(value) ? value.join(',') : value;
      break;
    case 'format':
      params['format'] = value;
      break;
    case 'multipleOf':
      params['multipleOf'] = value;
      break;
    default:
      if (typeof value === 'number') params['limit'] = value;
  }
  return { keyword: u.keyword, instancePath, schemaPath, params, message: u.error };
}

function toRjsfError(e: RawSchemaError): RJSFValidationError {
  let property = e.instancePath
    .split('/')
    .filter(Boolean)
    .map(unescapePointer)
    .map((s) => `.${s}`)
    .join('');
  if (e.keyword === 'required' && typeof e.params['missingProperty'] === 'string') property = `${property}.${e.params['missingProperty']}`;
  return { name: e.keyword, property, message: e.message, params: e.params, stack: `${property} ${e.message}`.trim(), schemaPath: e.schemaPath };
}

function pointer(root: Json, schemaPath: string): unknown {
  let node: unknown = root;
  for (const s of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean).map(unescapePointer)) {
    if (Array.isArray(node)) node = node[Number(s)];
    else if (node && typeof node === 'object') node = (node as Json)[s];
    else return undefined;
  }
  return node;
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
