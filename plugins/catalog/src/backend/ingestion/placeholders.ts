import { dump } from 'js-yaml';
import { ReadError, messageOf } from './errors.js';
import { formatPath, isPlainObject, type PathSegment } from './fieldPaths.js';
import { describePlace, type Place } from './locations.js';
import { bundleExternalRefs } from './openapiBundle.js';
import { parseYamlDocuments } from './parseYaml.js';

/**
 * Substitution placeholders in descriptors: an object whose only key is `$text`, `$json`,
 * `$yaml`, `$openapi` or `$asyncapi`, with a path (relative to the descriptor) or URL as its
 * value, is replaced by that file's text, parsed JSON, parsed YAML, or (for the API ones)
 * its text with relative external `$ref`s inlined.
 *
 * Escaping: an object whose only key starts with `$$` stands for the same object with one
 * `$` less, so `{ $$text: x }` becomes the literal `{ $text: x }`.
 * JSON Schema keywords (`$ref`, `$schema`, `$id`, …) are never placeholders; any other lone
 * `$name` key is an error, so a typo does not silently end up in the catalog.
 */

export interface PlaceholderReader {
  /** Reads `target` resolved against `base`, with the same root, network and size rules as descriptors. */
  read(base: Place, target: string): Promise<{ text: string; place: Place }>;
}

export interface PlaceholderIssue {
  path: string;
  message: string;
  kind: 'placeholder' | 'security';
}

export interface PlaceholderOptions {
  base: Place;
  reader: PlaceholderReader;
  aliasBudget: number;
}

const RESOLVERS = ['text', 'json', 'yaml', 'openapi', 'asyncapi'] as const;
type ResolverName = (typeof RESOLVERS)[number];
const JSON_SCHEMA_KEYWORDS = new Set([
  '$ref',
  '$schema',
  '$id',
  '$comment',
  '$defs',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$recursiveRef',
  '$recursiveAnchor',
  '$vocabulary',
  '$data',
]);

function soleKey(value: Record<string, unknown>): string | undefined {
  let key: string | undefined;
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    if (key !== undefined) return undefined;
    key = k;
  }
  return key;
}

/** Quick synchronous scan: does anything here need the (async) placeholder pass? */
export function hasPlaceholders(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasPlaceholders);
  if (!isPlainObject(value)) return false;
  const key = soleKey(value);
  if (key !== undefined && key.startsWith('$') && !JSON_SCHEMA_KEYWORDS.has(key)) return true;
  for (const k in value) if (hasPlaceholders(value[k])) return true;
  return false;
}

export async function resolvePlaceholders(value: unknown, options: PlaceholderOptions): Promise<{ value: unknown; issues: PlaceholderIssue[] }> {
  const issues: PlaceholderIssue[] = [];
  const walk = async (node: unknown, path: PathSegment[]): Promise<unknown> => {
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      for (let i = 0; i < node.length; i++) out.push(await walk(node[i], [...path, i]));
      return out;
    }
    if (!isPlainObject(node)) return node;
    const key = soleKey(node);
    if (key !== undefined && key.startsWith('$') && !JSON_SCHEMA_KEYWORDS.has(key)) {
      if (key.startsWith('$$')) return { [key.slice(1)]: await walk(node[key], [...path, key]) };
      const name = key.slice(1);
      const where = formatPath(path) || 'the entity';
      if (!(RESOLVERS as readonly string[]).includes(name)) {
        issues.push({
          kind: 'placeholder',
          path: formatPath(path),
          message: `${where}: unknown placeholder ${key}; the known ones are ${RESOLVERS.map((r) => `$${r}`).join(', ')} (write $${key} for a literal ${key} key)`,
        });
        return node;
      }
      const target = node[key];
      if (typeof target !== 'string' || target === '') {
        issues.push({ kind: 'placeholder', path: formatPath(path), message: `${where}: ${key} must be a path or URL string` });
        return node;
      }
      try {
        return await resolveOne(name as ResolverName, target, options);
      } catch (error) {
        const kind = error instanceof ReadError && error.kind === 'security' ? 'security' : 'placeholder';
        issues.push({ kind, path: formatPath(path), message: `${where}: cannot resolve ${key} ${JSON.stringify(target)}: ${messageOf(error)}` });
        return node;
      }
    }
    const out: Record<string, unknown> = {};
    for (const k in node) if (Object.hasOwn(node, k)) out[k] = await walk(node[k], [...path, k]);
    return out;
  };
  const resolved = await walk(value, []);
  return { value: resolved, issues };
}

async function resolveOne(name: ResolverName, target: string, options: PlaceholderOptions): Promise<unknown> {
  const { text, place } = await options.reader.read(options.base, target);
  switch (name) {
    case 'text':
      return text;
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new Error(`${describePlace(place)} is not valid JSON: ${messageOf(error)}`);
      }
    case 'yaml':
      return parseSingleYaml(text, place, options.aliasBudget);
    case 'openapi':
    case 'asyncapi':
      return bundleApiDefinition(text, place, options);
  }
}

function parseSingleYaml(text: string, place: Place, aliasBudget: number): unknown {
  const documents = parseYamlDocuments(text, { aliasBudget }).filter((d) => !d.empty);
  const problem = documents.find((d) => d.problem)?.problem;
  if (problem) throw new Error(`${describePlace(place)}: ${problem.message}`);
  if (documents.length > 1) throw new Error(`${describePlace(place)} holds ${documents.length} YAML documents; expected one`);
  return documents[0]?.value ?? null;
}

async function bundleApiDefinition(text: string, place: Place, options: PlaceholderOptions): Promise<string> {
  let document: unknown;
  try {
    document = parseSingleYaml(text, place, options.aliasBudget);
  } catch {
    return text; // not YAML/JSON: keep the text as it is, like $text
  }
  const { value, changed } = await bundleExternalRefs(document, place, async (base, ref) => {
    const read = await options.reader.read(base, ref);
    return { value: parseSingleYaml(read.text, read.place, options.aliasBudget), place: read.place };
  });
  if (!changed) return text;
  return text.trimStart().startsWith('{') ? JSON.stringify(value, null, 2) : dump(value, { noRefs: true, lineWidth: -1 });
}
