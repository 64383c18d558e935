import { createHash } from 'node:crypto';
import { createEntityValidator, type CustomKindDefinition, type EntityValidator, type LocationSpec as LocationEntitySpec } from '@atrium/catalog-model';
import { locationAnnotations } from './annotations.js';
import { messageOf, ReadError, toIngestionError } from './errors.js';
import { formatPath, isPlainObject } from './fieldPaths.js';
import { describePlace, locationRefOf, resolveChildTarget, resolvePlace, type Place } from './locations.js';
import { parseYamlDocuments, type YamlDocument } from './parseYaml.js';
import type { PlaceholderReader } from './placeholders.js';
import { processEntity, type EntityContext } from './processEntity.js';
import { SourceReaders } from './readers/index.js';
import { createRulesChecker } from './rules.js';
import type { ChildLocationSpec, IngestedEntity, IngestionError, IngestionOptions, LocationReadResult, LocationSpec } from './types.js';

const DEFAULT_ALIAS_BUDGET = 100_000;
const READ_AHEAD = 8;

// Compiling kind schemas is the expensive part of a validator: keep one per custom kind list.
const defaultValidator = { current: undefined as EntityValidator | undefined };
const validators = new WeakMap<readonly CustomKindDefinition[], EntityValidator>();

function validatorFor(customKinds: readonly CustomKindDefinition[] | undefined): EntityValidator {
  if (!customKinds || customKinds.length === 0) return (defaultValidator.current ??= createEntityValidator());
  let validator = validators.get(customKinds);
  if (!validator) {
    validator = createEntityValidator({ customKinds });
    validators.set(customKinds, validator);
  }
  return validator;
}

/**
 * Reads one location and turns every YAML document in it into an ingested entity. Never
 * throws for bad input: problems come back as errors on the location or on the entities.
 * Location entities' targets come back as childLocations for the caller to follow.
 */
export async function readLocation(spec: LocationSpec, options: IngestionOptions): Promise<LocationReadResult> {
  const optional = spec.presence === 'optional';
  const locationName = locationRefOf(spec);
  const result: LocationReadResult = { entities: [], childLocations: [], errors: [], contentHash: '', files: [] };
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({
      spec: { type: spec.type, target: spec.target, presence: spec.presence },
      origin: options.originLocation,
      rules: options.rules,
      locationRules: options.locationRules,
      customKinds: options.customKinds,
    }),
  );
  const finish = () => {
    result.contentHash = hash.digest('hex');
    return result;
  };

  let validator: EntityValidator;
  try {
    validator = validatorFor(options.customKinds);
  } catch (error) {
    result.errors.push({ kind: 'validation', message: messageOf(error), file: spec.target });
    return finish();
  }

  const readers = new SourceReaders(options);
  let places: Place[];
  try {
    const expanded = await readers.expand(spec);
    places = expanded.places;
    if (expanded.revision) {
      result.revision = expanded.revision;
      hash.update(`\0revision ${expanded.revision}`);
    }
  } catch (error) {
    if (!(optional && error instanceof ReadError && error.notFound)) result.errors.push(toIngestionError(error, spec.target));
    return finish();
  }
  if (places.length === 0 && !optional) {
    result.errors.push({ kind: 'read', message: `No files match ${spec.target}`, file: spec.target });
  }

  const placeholderFiles: string[] = [];
  const placeholderCache = new Map<string, Promise<{ text: string; place: Place }>>();
  const placeholderReader: PlaceholderReader = {
    read(base, target) {
      const place = resolvePlace(base, target);
      const key = describePlace(place);
      let entry = placeholderCache.get(key);
      if (!entry) {
        entry = readers.read(place).then((content) => {
          placeholderFiles.push(key);
          hash.update(`\0placeholder ${key}\0`).update(content);
          return { text: content.toString('utf8'), place };
        });
        placeholderCache.set(key, entry);
      }
      return entry;
    },
  };

  const originRef = locationRefOf(options.originLocation ?? spec);
  const rules = createRulesChecker(options.rules, options.locationRules);
  const aliasBudget = options.yamlAliasBudget ?? DEFAULT_ALIAS_BUDGET;
  const seen = new Map<string, string>();

  // Read a few files ahead while processing strictly in order, so results are deterministic.
  const pending = places.map(() => undefined as Promise<Buffer> | undefined);
  const start = (i: number) => {
    const place = places[i];
    if (place && !pending[i]) {
      const p = readers.read(place);
      p.catch(() => undefined);
      pending[i] = p;
    }
  };
  for (let i = 0; i < Math.min(READ_AHEAD, places.length); i++) start(i);

  for (let i = 0; i < places.length; i++) {
    start(i + READ_AHEAD);
    const place = places[i]!;
    const file = describePlace(place);
    let content: Buffer;
    try {
      content = await pending[i]!;
    } catch (error) {
      if (!(optional && error instanceof ReadError && error.notFound)) result.errors.push(toIngestionError(error, file));
      continue;
    } finally {
      pending[i] = undefined;
    }
    result.files.push(file);
    hash.update(`\0file ${file}\0`).update(content);

    const ctx: EntityContext = {
      file,
      locationRef: locationRefOf({ type: place.type, target: file }),
      locationName,
      annotations: locationAnnotations(place, originRef),
      validator,
      rules,
      placeholders: { base: place, reader: placeholderReader, aliasBudget },
      ...(options.fieldLinesFor?.length ? { fieldLinesFor: options.fieldLinesFor } : {}),
    };
    for (const doc of parseYamlDocuments(content.toString('utf8'), { aliasBudget })) {
      if (doc.empty) continue;
      if (doc.problem) {
        const { kind, message, line, column } = doc.problem;
        result.errors.push({ kind, message, file, line, column });
        continue;
      }
      if (!isPlainObject(doc.value)) {
        result.errors.push({ kind: 'validation', message: notAnEntity(doc.value), file, line: doc.start.line, column: doc.start.column });
        continue;
      }
      const ingested = await processEntity(doc.value, doc, ctx);
      checkDuplicate(ingested, seen);
      result.entities.push(ingested);
      if (ingested.entity?.kind === 'Location' && ingested.errors.length === 0) {
        collectChildren(ingested, place, doc, options, result);
      }
    }
  }
  result.files.push(...placeholderFiles);
  return finish();
}

function notAnEntity(value: unknown): string {
  const what = value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
  return `This YAML document is ${what}, not an entity: expected a mapping with apiVersion, kind and metadata`;
}

/** The second entity with a ref already seen in this location loses, with an error saying where the first is. */
function checkDuplicate(ingested: IngestedEntity, seen: Map<string, string>): void {
  const ref = ingested.entityRef;
  if (!ref) return;
  const first = seen.get(ref);
  if (first === undefined) {
    seen.set(ref, `${ingested.source.url}:${ingested.source.line}`);
    return;
  }
  delete ingested.entity;
  ingested.errors.unshift({
    kind: 'duplicate',
    message: `Duplicate entity ${ref}: it is already defined at ${first}; only the first definition is used`,
    file: ingested.source.url,
    line: ingested.source.line,
    column: ingested.source.column,
  });
}

function collectChildren(ingested: IngestedEntity, place: Place, doc: YamlDocument, options: IngestionOptions, result: LocationReadResult): void {
  const spec = (ingested.entity?.spec ?? {}) as LocationEntitySpec;
  const presence = spec.presence === 'optional' ? 'optional' : 'required';
  const targets: Array<[string, string]> = [];
  if (typeof spec.target === 'string') targets.push([spec.target, 'spec.target']);
  (spec.targets ?? []).forEach((t, i) => targets.push([t, formatPath(['spec', 'targets', i])]));
  for (const [target, field] of targets) {
    try {
      const child = resolveChildTarget(place, spec.type, target, options.fileRoots);
      const entry: ChildLocationSpec = { type: child.type, target: child.target, presence, parentEntityRef: ingested.entityRef! };
      result.childLocations.push(entry);
    } catch (error) {
      const at = doc.locate(field);
      const base: IngestionError = toIngestionError(error, describePlace(place));
      result.errors.push({ ...base, line: at.line, column: at.column, field });
    }
  }
}
