type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The core and extension schemas this endpoint knows; others in a body's `schemas` are dropped. */
export const KNOWN_SCHEMAS = new Set([
  'urn:ietf:params:scim:schemas:core:2.0:User',
  'urn:ietf:params:scim:schemas:core:2.0:Group',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  'urn:ietf:params:scim:api:messages:2.0:PatchOp',
]);

/** `"True"`/`"False"` (any case) as booleans; anything else unchanged. */
function booleanish(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : value;
}

/** Drops `null` members of an object (Entra sends `"$ref": null` in member values). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

/**
 * A resource body (POST, PUT) as the SCIM library expects it: schema URIs other than the known
 * ones removed (Entra adds `http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group`),
 * `active` given as a string made boolean, `null` member references dropped.
 */
export function normaliseResourceBody(body: unknown): unknown {
  if (!isObject(body)) return body;
  const out: Json = { ...body };
  if (Array.isArray(out['schemas'])) out['schemas'] = (out['schemas'] as unknown[]).filter((s) => typeof s === 'string' && KNOWN_SCHEMAS.has(s));
  for (const key of Object.keys(out)) {
    if (key.toLowerCase() === 'active') out[key] = booleanish(out[key]);
    if (key.toLowerCase() === 'members' && Array.isArray(out[key])) out[key] = withoutNulls(out[key]);
  }
  // The library reads an absent `schemas` as a bad request; identity providers always send it, but be lenient.
  return out;
}

/**
 * A PatchOp as the SCIM library expects it. Microsoft Entra ID's documented deviations: `op` in
 * any case (`"Replace"`, `"Add"`, `"Remove"`), booleans as strings (`"value": "False"` for
 * `active`, also inside a path-less `value` object), an extra `name` on operations
 * (`"addMember"`), and `"$ref": null` in member values.
 */
export function normalisePatchBody(body: unknown): unknown {
  if (!isObject(body)) return body;
  const operations = body['Operations'] ?? body['operations'];
  if (!Array.isArray(operations)) return body;
  const { operations: _lower, ...rest } = body;
  return {
    ...rest,
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: operations.map((operation: unknown) => {
      if (!isObject(operation)) return operation;
      const { op, path, value } = operation;
      const out: Json = { op: typeof op === 'string' ? op.toLowerCase() : op };
      if (path !== undefined) out['path'] = path;
      if (value !== undefined) {
        let v: unknown = withoutNulls(value);
        if (typeof path === 'string' && path.toLowerCase() === 'active') v = booleanish(v);
        if (path === undefined && isObject(v)) v = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k.toLowerCase() === 'active' ? booleanish(x) : x]));
        out['value'] = v;
      }
      return out;
    }),
  };
}
