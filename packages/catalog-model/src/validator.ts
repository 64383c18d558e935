import type { ValidateFunction } from 'ajv';
import { ajvErrorsToIssues, createAjv, describeType } from './ajv.js';
import type { ValidationIssue } from './entity.js';
import { ENTITY_OUTPUT_FIELDS, ENTITY_ROOT_FIELDS, entityEnvelopeSchema } from './envelopeSchema.js';
import { isRecord } from './fieldPath.js';
import { InvalidKindDefinitionError, validateCustomKindDefinitions } from './customKinds.js';
import { apiVersionsOf, type CustomKindDefinition, type KindDefinition } from './kindDefinition.js';
import { createKindRegistry, type KindRegistry } from './kindRegistry.js';
import { validateEntityFields } from './metadata.js';
import { relationsFromKind, type RelationsResult } from './relationsFromEntity.js';

export type EntityValidationResult = { ok: boolean; errors: ValidationIssue[] };

export type ValidateEntityOptions = {
  /**
   * Reject `relations` and `status` at the root. Set it for entities read from descriptor
   * files, where those output-only fields have no business (Backstage rejects them at
   * ingestion); leave it off for stored entities, which carry them.
   */
  rejectOutputFields?: boolean;
};

export type EntityValidator = {
  /**
   * Everything Backstage checks before it accepts an entity: the envelope, the metadata
   * format rules, the kind's spec schema (built-in or custom), and that every ref in a
   * relation field parses. Never throws; `ok` is true when `errors` is empty.
   */
  validate(entity: unknown, options?: ValidateEntityOptions): EntityValidationResult;
  /** The relations the entity's spec declares, both directions, plus malformed-ref errors. */
  relations(entity: unknown): RelationsResult;
  /** The definition that governs this entity, if its kind and apiVersion are known. */
  kindOf(entity: unknown): KindDefinition | undefined;
  /** Built-in kinds followed by the custom ones. */
  readonly kinds: readonly KindDefinition[];
};

export type EntityValidatorOptions = { customKinds?: readonly CustomKindDefinition[] };

/**
 * Builds a validator for the built-in kinds plus the given custom kinds. Throws
 * InvalidKindDefinitionError, naming each bad kind, if a custom definition is invalid.
 * Kind schemas are compiled on first use and kept.
 */
export function createEntityValidator(options: EntityValidatorOptions = {}): EntityValidator {
  const customKinds = options.customKinds ?? [];
  const problems = validateCustomKindDefinitions(customKinds);
  if (problems.length > 0) throw new InvalidKindDefinitionError(problems);

  const registry = createKindRegistry(customKinds);
  const ajv = createAjv();
  const envelope = ajv.compile(entityEnvelopeSchema);
  const compiled = new Map<KindDefinition, ValidateFunction>();
  const specValidator = (definition: KindDefinition) => {
    let fn = compiled.get(definition);
    if (!fn) {
      fn = ajv.compile(definition.specSchema);
      compiled.set(definition, fn);
    }
    return fn;
  };

  const kindOf = (entity: unknown) =>
    isRecord(entity) && typeof entity.apiVersion === 'string' && typeof entity.kind === 'string' ? registry.find(entity.apiVersion, entity.kind) : undefined;

  return {
    kinds: registry.kinds,
    kindOf,
    relations(entity) {
      return isRecord(entity) ? relationsFromKind(entity, registry.forRelations(entity.apiVersion, entity.kind)) : { relations: [], errors: [] };
    },
    validate(entity, validateOptions = {}) {
      if (!isRecord(entity)) {
        return {
          ok: false,
          errors: [{ path: '', message: `An entity must be a JSON object, but this is ${describeType(entity)}` }],
        };
      }
      const errors: ValidationIssue[] = [];
      const add = (issue: ValidationIssue) => {
        // One problem per field: a later check never repeats a field an earlier one flagged.
        if (!errors.some((e) => e.path === issue.path)) errors.push(issue);
      };

      if (!envelope(entity)) envelopeIssues(envelope, entity).forEach(add);
      if (validateOptions.rejectOutputFields) {
        for (const field of ENTITY_OUTPUT_FIELDS) {
          if (entity[field] !== undefined) {
            add({ path: field, message: `${field} is produced by the catalog and must not be set in a descriptor` });
          }
        }
      }
      validateEntityFields(entity).forEach(add);

      const definition = kindOf(entity);
      if (!definition) {
        const issue = unknownKindIssue(entity, registry);
        if (issue) add(issue);
      } else if (entity.spec === undefined) {
        add({ path: 'spec', message: `spec is required for kind ${definition.kind}` });
      } else if (isRecord(entity.spec)) {
        const validateSpec = specValidator(definition);
        if (!validateSpec(entity.spec)) ajvErrorsToIssues(validateSpec.errors, entity.spec, ['spec']).forEach(add);
        relationsFromKind(entity, definition).errors.forEach(add);
      }
      return { ok: errors.length === 0, errors };
    },
  };
}

function envelopeIssues(envelope: ValidateFunction, entity: Record<string, unknown>): ValidationIssue[] {
  return ajvErrorsToIssues(envelope.errors, entity).map((issue) => {
    const isForeignRootField = !issue.path.includes('.') && !issue.path.includes('[') && !(ENTITY_ROOT_FIELDS as readonly string[]).includes(issue.path);
    if (!isForeignRootField) return issue;
    return {
      path: issue.path,
      message:
        `Unknown root field ${JSON.stringify(issue.path)}: an entity may only have ` +
        `${ENTITY_ROOT_FIELDS.join(', ')} at its root (should it be under spec or metadata?)`,
    };
  });
}

function unknownKindIssue(entity: Record<string, unknown>, registry: KindRegistry): ValidationIssue | undefined {
  const { kind, apiVersion } = entity;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string') return undefined;
  const sameKind = registry.withKind(kind);
  if (sameKind.length > 0) {
    const supported = sameKind
      .flatMap(apiVersionsOf)
      .map((v) => JSON.stringify(v))
      .join(', ');
    return {
      path: 'apiVersion',
      message: `apiVersion ${JSON.stringify(apiVersion)} is not supported for kind ${kind}; use ${supported}`,
    };
  }
  const otherCase = registry.kinds.find((k) => k.kind.toLowerCase() === kind.toLowerCase());
  if (otherCase) {
    return {
      path: 'kind',
      message: `kind ${JSON.stringify(kind)} is not known; kinds are case-sensitive, did you mean ${JSON.stringify(otherCase.kind)}?`,
    };
  }
  const known = [...new Set(registry.kinds.map((k) => k.kind))].join(', ');
  return {
    path: 'kind',
    message: `kind ${JSON.stringify(kind)} is not known (known kinds: ${known}); declare it as a custom kind to use it`,
  };
}
