type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Splits Backstage's parameter schema, which carries `ui:*` keys inline, into a plain JSON
 * Schema and an rjsf uiSchema (as Backstage's extractSchemaFromStep does), following
 * properties, dependencies/oneOf, allOf and if/then/else.
 */
export function extractUiSchema(input: Json): { schema: Json; uiSchema: Json } {
  const uiSchema: Json = {};
  const schema = walk(input, uiSchema);
  return { schema, uiSchema };
}

function walk(node: Json, ui: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('ui:')) {
      ui[key] = value;
      continue;
    }
    if (key === 'properties' && isObject(value)) {
      const props: Json = {};
      for (const [name, prop] of Object.entries(value)) {
        if (!isObject(prop)) {
          props[name] = prop;
          continue;
        }
        const childUi = (isObject(ui[name]) ? ui[name] : {}) as Json;
        props[name] = walk(prop, childUi);
        if (Object.keys(childUi).length) ui[name] = childUi;
      }
      out[key] = props;
    } else if (key === 'items' && isObject(value)) {
      const childUi = (isObject(ui['items']) ? ui['items'] : {}) as Json;
      out[key] = walk(value, childUi);
      if (Object.keys(childUi).length) ui['items'] = childUi;
    } else if (key === 'dependencies' && isObject(value)) {
      const deps: Json = {};
      for (const [name, dep] of Object.entries(value)) deps[name] = isObject(dep) ? walk(dep, ui) : dep;
      out[key] = deps;
    } else if ((key === 'oneOf' || key === 'anyOf' || key === 'allOf') && Array.isArray(value)) {
      out[key] = value.map((v) => (isObject(v) ? walk(v, ui) : v));
    } else if ((key === 'if' || key === 'then' || key === 'else') && isObject(value)) {
      out[key] = walk(value, ui);
    } else out[key] = value;
  }
  return out;
}
