import { applyEntityDefaults, DEFAULT_NAMESPACE, stringifyEntityRef, type Entity, type EntityRelation, type EntityValidator } from '@atrium/catalog-model';
import type { LocationAnnotations } from './annotations.js';
import { formatPath, isPlainObject, type PathSegment } from './fieldPaths.js';
import type { YamlDocument } from './parseYaml.js';
import { findNul, NUL, nulMessage } from './nulCharacters.js';
import { hasPlaceholders, resolvePlaceholders, type PlaceholderOptions } from './placeholders.js';
import type { RulesChecker } from './rules.js';
import type { IngestedEntity, IngestionError, IngestionErrorKind } from './types.js';

export interface EntityContext {
  /** The file holding the document, as reported in errors. */
  file: string;
  locationRef: string;
  /** The location being read, for rule messages. */
  locationName: string;
  annotations: LocationAnnotations;
  validator: EntityValidator;
  rules: RulesChecker | undefined;
  placeholders: PlaceholderOptions;
  /** Kinds (lower case) whose valid entities carry the line of each field (see IngestionOptions.fieldLinesFor). */
  fieldLinesFor?: readonly string[];
}

/** Fields below this depth, or past this many, get no line of their own (their ancestor's is used). */
const FIELD_LINES_DEPTH = 6;
const FIELD_LINES_MAX = 2000;

/** The line of every field of `value` down to FIELD_LINES_DEPTH, by its path. */
export function fieldLinesOf(value: unknown, doc: Pick<YamlDocument, 'locate'>): Record<string, number> {
  const lines: Record<string, number> = {};
  let count = 0;
  const walk = (v: unknown, path: PathSegment[]) => {
    if (count >= FIELD_LINES_MAX || path.length > FIELD_LINES_DEPTH) return;
    if (path.length > 0) {
      const field = formatPath(path);
      lines[field] = doc.locate(field).line;
      count++;
    }
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (isPlainObject(v)) for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
  };
  walk(value, []);
  return lines;
}

/** Canonical ref of a raw document, when it has a string kind and name. */
export function refOfRaw(raw: Record<string, unknown>): string | undefined {
  const metadata = raw.metadata;
  if (typeof raw.kind !== 'string' || raw.kind === '' || !isPlainObject(metadata)) return undefined;
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || name === '') return undefined;
  // A ref holding NUL could not even be looked up; such a document is reported by file and line only.
  if (raw.kind.includes(NUL) || name.includes(NUL) || (typeof namespace === 'string' && namespace.includes(NUL))) return undefined;
  return stringifyEntityRef({
    kind: raw.kind,
    namespace: typeof namespace === 'string' && namespace !== '' ? namespace : DEFAULT_NAMESPACE,
    name,
  });
}

/**
 * One YAML document → one ingested entity: rules, placeholders, validation (envelope,
 * metadata formats, kind schema incl. custom kinds, relation refs), defaults, location
 * annotations and forward relations. Errors point at the field's line where they can.
 */
export async function processEntity(raw: Record<string, unknown>, doc: YamlDocument, ctx: EntityContext): Promise<IngestedEntity> {
  const entityRef = refOfRaw(raw);
  const source = { url: ctx.file, locationRef: ctx.locationRef, line: doc.start.line, column: doc.start.column };
  const error = (kind: IngestionErrorKind, message: string, field?: string): IngestionError => {
    const at = field ? doc.locate(field) : doc.start;
    return { kind, message, file: ctx.file, line: at.line, column: at.column, ...(field ? { field } : {}) };
  };
  const result = (errors: IngestionError[], entity?: Entity): IngestedEntity => ({
    ...(entity ? { entity } : {}),
    ...(entityRef ? { entityRef } : {}),
    errors,
    source,
  });

  if (ctx.rules && typeof raw.kind === 'string') {
    const specType = isPlainObject(raw.spec) ? raw.spec.type : undefined;
    if (!ctx.rules.allows(raw.kind, specType)) {
      return result([
        error(
          'rules',
          `Entity ${entityRef ?? `of kind ${raw.kind}`} is of kind ${raw.kind}, which is not allowed at location ${ctx.locationName} (catalog.rules allow: ${ctx.rules.describe()})`,
          'kind',
        ),
      ]);
    }
  }

  let value: unknown = raw;
  if (hasPlaceholders(raw)) {
    const resolved = await resolvePlaceholders(raw, ctx.placeholders);
    if (resolved.issues.length > 0) {
      return result(resolved.issues.map((i) => error(i.kind, i.message, i.path || undefined)));
    }
    value = resolved.value;
  }

  // Checked after placeholders, so text pulled in by $text/$json/$yaml is covered too.
  const nulAt = findNul(value);
  if (nulAt !== undefined) return result([error('validation', nulMessage(nulAt), nulAt || undefined)]);

  const validation = ctx.validator.validate(value, { rejectOutputFields: true });
  const relations = ctx.validator.relations(value);
  if (!validation.ok) {
    const relationPaths = new Set(relations.errors.map((e) => e.path));
    return result(validation.errors.map((issue) => error(relationPaths.has(issue.path) ? 'relation' : 'validation', issue.message, issue.path || undefined)));
  }

  const entity = applyEntityDefaults(value as Entity);
  const selfRef = stringifyEntityRef(entity);
  const forward: EntityRelation[] = [];
  for (const r of relations.relations) if (r.sourceRef === selfRef) forward.push({ type: r.type, targetRef: r.targetRef });
  const annotations = { ...ctx.annotations.defaults, ...entity.metadata.annotations, ...ctx.annotations.forced };
  // uid and etag belong to the store; a descriptor that carries them (a copied export) must not set them.
  const { uid: _uid, etag: _etag, ...metadata } = entity.metadata;
  const ingested = result([], { ...entity, metadata: { ...metadata, annotations }, relations: forward });
  if (ctx.fieldLinesFor?.includes(entity.kind.toLowerCase())) ingested.fieldLines = fieldLinesOf(raw, doc);
  return ingested;
}
