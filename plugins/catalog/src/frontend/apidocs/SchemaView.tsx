import { Badge, Box, Code, Group, Stack, Text } from '@mantine/core';
import { deref, refName, type JsonObject } from './openapiModel';
import classes from './apidocs.module.css';

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
/** Nested objects deeper than this start collapsed. */
const OPEN_DEPTH = 1;
/** A schema nested deeper than this is not expanded at all (it would not fit the page anyway). */
const MAX_DEPTH = 12;

/** A one-line description of a schema's type: `string (date-time)`, `array of Order`, `one of Card | Transfer`. */
export function schemaSummary(schema: JsonObject | undefined, document: JsonObject): string {
  if (!schema) return 'any';
  if (typeof schema.$ref === 'string') return refName(schema.$ref);
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const variants = schema[key];
    if (Array.isArray(variants)) {
      const names = variants.filter(isObject).map((v) => schemaSummary(v, document));
      return key === 'allOf' ? names.join(' & ') : `${key === 'oneOf' ? 'one of' : 'any of'} ${names.join(' | ')}`;
    }
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : typeof schema.type === 'string' ? schema.type : schema.properties ? 'object' : 'any';
  if (type === 'array') return `array of ${schemaSummary(isObject(schema.items) ? schema.items : undefined, document)}`;
  const format = typeof schema.format === 'string' ? ` (${schema.format})` : '';
  return `${type}${format}${schema.nullable === true ? ' | null' : ''}`;
}

/**
 * A JSON Schema as a tree of properties. `$ref`s are followed as the tree is opened, and a
 * schema that refers to itself stops at the repeat instead of recursing forever.
 */
export function SchemaView(props: { schema: JsonObject | undefined; document: JsonObject; depth?: number; seen?: readonly string[] }) {
  const depth = props.depth ?? 0;
  const seen = props.seen ?? [];
  const ref = typeof props.schema?.$ref === 'string' ? props.schema.$ref : undefined;
  if (ref && seen.includes(ref)) {
    return (
      <Text size="xs" c="dimmed">
        {refName(ref)} (recursive, shown above)
      </Text>
    );
  }
  const schema = deref(props.document, props.schema);
  if (!schema)
    return (
      <Text size="xs" c="dimmed">
        {ref ? `Unresolved reference ${ref}` : 'Any value'}
      </Text>
    );
  const nextSeen = ref ? [...seen, ref] : seen;
  if (depth > MAX_DEPTH)
    return (
      <Text size="xs" c="dimmed">
        …
      </Text>
    );

  const variants = (['oneOf', 'anyOf', 'allOf'] as const).flatMap((key) =>
    Array.isArray(schema[key]) ? [{ key, items: (schema[key] as unknown[]).filter(isObject) }] : [],
  );
  const properties = isObject(schema.properties) ? Object.entries(schema.properties).filter((e): e is [string, JsonObject] => isObject(e[1])) : [];
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  const items = schema.type === 'array' && isObject(schema.items) ? schema.items : undefined;

  return (
    <Stack gap={4}>
      <Facets schema={schema} />
      {variants.map((variant) => (
        <Box key={variant.key} className={classes.nested}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase">
            {variant.key === 'oneOf' ? 'One of' : variant.key === 'anyOf' ? 'Any of' : 'All of'}
          </Text>
          {variant.items.map((item, index) => (
            <Nested key={index} label={schemaSummary(item, props.document)} schema={item} document={props.document} depth={depth + 1} seen={nextSeen} />
          ))}
        </Box>
      ))}
      {properties.length > 0 && (
        <Stack gap={0} component="ul" className={classes.properties}>
          {properties.map(([name, property]) => {
            const resolved = deref(props.document, property);
            const expandable = isExpandable(resolved, props.document);
            return (
              <li key={name} className={classes.property}>
                <Group gap={6} wrap="wrap">
                  <Code fw={600}>{name}</Code>
                  <Text size="xs" c="dimmed">
                    {schemaSummary(property, props.document)}
                  </Text>
                  {required.has(name) && (
                    <Badge size="xs" color="red" variant="light" tt="none">
                      required
                    </Badge>
                  )}
                  {resolved?.deprecated === true && (
                    <Badge size="xs" color="gray" variant="light" tt="none">
                      deprecated
                    </Badge>
                  )}
                </Group>
                {typeof resolved?.description === 'string' && (
                  <Text size="xs" mt={2}>
                    {resolved.description}
                  </Text>
                )}
                {resolved && !expandable && <Facets schema={resolved} />}
                {expandable && <Nested label="Fields" schema={property} document={props.document} depth={depth + 1} seen={nextSeen} />}
              </li>
            );
          })}
        </Stack>
      )}
      {items && isExpandable(deref(props.document, items), props.document) && (
        <Nested label={`Items: ${schemaSummary(items, props.document)}`} schema={items} document={props.document} depth={depth + 1} seen={nextSeen} />
      )}
    </Stack>
  );
}

function isExpandable(schema: JsonObject | undefined, document: JsonObject): boolean {
  if (!schema) return false;
  if (isObject(schema.properties) || ['oneOf', 'anyOf', 'allOf'].some((k) => Array.isArray(schema[k]))) return true;
  return schema.type === 'array' && isExpandable(deref(document, schema.items), document);
}

function Nested(props: { label: string; schema: JsonObject; document: JsonObject; depth: number; seen: readonly string[] }) {
  return (
    <details className={classes.nested} open={props.depth <= OPEN_DEPTH}>
      <summary>
        <Text span size="xs" c="dimmed">
          {props.label}
        </Text>
      </summary>
      <SchemaView schema={props.schema} document={props.document} depth={props.depth} seen={props.seen} />
    </details>
  );
}

/** Enum values, default, example, pattern and bounds of a schema. */
function Facets(props: { schema: JsonObject }) {
  const { schema } = props;
  const facts: Array<[string, string]> = [];
  if (Array.isArray(schema.enum)) facts.push(['one of', schema.enum.map((v) => JSON.stringify(v)).join(', ')]);
  if (schema.default !== undefined) facts.push(['default', JSON.stringify(schema.default)]);
  if (schema.example !== undefined) facts.push(['example', JSON.stringify(schema.example)]);
  if (typeof schema.pattern === 'string') facts.push(['pattern', schema.pattern]);
  for (const key of ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems'] as const) {
    if (typeof schema[key] === 'number') facts.push([key, String(schema[key])]);
  }
  if (facts.length === 0) return null;
  return (
    <Group gap={8} wrap="wrap">
      {facts.map(([label, value]) => (
        <Text key={label} size="xs" c="dimmed">
          {label}: <Code>{value.length > 120 ? `${value.slice(0, 117)}…` : value}</Code>
        </Text>
      ))}
    </Group>
  );
}
