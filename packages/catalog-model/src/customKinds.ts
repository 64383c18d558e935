import type { Ajv } from 'ajv';
import { ajvErrorsToIssues, createAjv } from './ajv.js';
import type { ValidationIssue } from './entity.js';
import { isRecord, joinFieldPath, quoteValue } from './fieldPath.js';
import { explainApiVersion, explainKind } from './formats.js';
import { apiVersionsOf, specFieldPath, type KindDefinition } from './kindDefinition.js';
import { BUILTIN_KINDS } from './kinds/index.js';
import { inverseRelationOf, RELATION_TYPE_PATTERN } from './relations.js';

/** Thrown when custom kind definitions are invalid; `issues` lists every problem. */
export class InvalidKindDefinitionError extends Error {
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[]) {
    super(`Invalid custom kind definition:\n${issues.map((i) => `  - ${i.message}`).join('\n')}`);
    this.name = 'InvalidKindDefinitionError';
    this.issues = issues;
  }
}

function label(definition: Record<string, unknown>): string {
  return typeof definition.kind === 'string' && definition.kind !== '' ? `Custom kind ${JSON.stringify(definition.kind)}` : 'Custom kind';
}

/**
 * Checks one custom kind definition: kind and apiVersion formats, that specSchema is a
 * JSON Schema ajv can compile, and that relation fields are well formed. Paths are relative
 * to the definition (`specSchema.properties.size.type`); every message names the kind.
 */
export function validateCustomKindDefinition(definition: unknown, ajv: Ajv = createAjv()): ValidationIssue[] {
  if (!isRecord(definition)) {
    return [{ path: '', message: `A custom kind definition must be an object, but is ${quoteValue(definition)}` }];
  }
  const issues: ValidationIssue[] = [];
  const who = label(definition);
  const add = (path: string, problem: string) => issues.push({ path, message: `${who}: ${path} ${problem}` });

  const kindProblem = explainKind(definition.kind);
  if (kindProblem) add('kind', kindProblem);

  const { apiVersion } = definition;
  if (Array.isArray(apiVersion)) {
    if (apiVersion.length === 0) add('apiVersion', 'must list at least one apiVersion');
    apiVersion.forEach((v, i) => {
      const problem = explainApiVersion(v);
      if (problem) add(joinFieldPath('apiVersion', i), `${quoteValue(v)} is not valid: it ${problem}`);
    });
  } else {
    const problem = explainApiVersion(apiVersion);
    if (problem) add('apiVersion', `${quoteValue(apiVersion)} is not valid: it ${problem}`);
  }

  if (definition.description !== undefined && typeof definition.description !== 'string') {
    add('description', 'must be a string');
  }

  issues.push(...checkSpecSchema(definition.specSchema, ajv, who));
  issues.push(...checkRelations(definition.relations, who));
  return issues;
}

const JSON_SCHEMA_TYPES = '"string", "number", "integer", "boolean", "object", "array", "null"';

function checkSpecSchema(schema: unknown, ajv: Ajv, who: string): ValidationIssue[] {
  if (!isRecord(schema)) {
    return [{ path: 'specSchema', message: `${who}: specSchema must be a JSON Schema object describing spec` }];
  }
  if (schema.type !== undefined && schema.type !== 'object') {
    return [
      {
        path: 'specSchema.type',
        message: `${who}: specSchema.type must be "object" (spec is always an object), but is ${quoteValue(schema.type)}`,
      },
    ];
  }
  if (!ajv.validateSchema(schema)) {
    return ajvErrorsToIssues(ajv.errors, schema, ['specSchema']).map((issue) => ({
      path: issue.path,
      message: `${who}: specSchema is not a valid JSON Schema: ${
        issue.path.endsWith('.type') && issue.message.includes('allowed forms')
          ? `${issue.path} must be one of ${JSON_SCHEMA_TYPES} (or a list of them)`
          : issue.message
      }`,
    }));
  }
  try {
    ajv.compile(schema);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [{ path: 'specSchema', message: `${who}: specSchema cannot be compiled: ${reason}` }];
  }
  return [];
}

function checkRelations(relations: unknown, who: string): ValidationIssue[] {
  if (relations === undefined) return [];
  if (!Array.isArray(relations)) {
    return [{ path: 'relations', message: `${who}: relations must be an array` }];
  }
  const issues: ValidationIssue[] = [];
  relations.forEach((relation, i) => {
    const base = joinFieldPath('relations', i);
    const add = (path: string, problem: string) => issues.push({ path, message: `${who}: ${path} ${problem}` });
    if (!isRecord(relation)) {
      add(base, 'must be an object with field, type and inverse');
      return;
    }
    const { field, type, inverse, targetKind } = relation;
    if (
      typeof field !== 'string' ||
      specFieldPath(field)
        .split('.')
        .some((s) => s === '')
    ) {
      add(`${base}.field`, `must be a dot path into spec, e.g. "owner" or "deployment.cluster", but is ${quoteValue(field)}`);
    }
    for (const [key, value] of [
      ['type', type],
      ['inverse', inverse],
    ] as const) {
      if (typeof value !== 'string' || !RELATION_TYPE_PATTERN.test(value)) {
        add(`${base}.${key}`, `must be a relation type of word characters only, e.g. "ownedBy", but is ${quoteValue(value)}`);
      }
    }
    const knownInverse = typeof type === 'string' ? inverseRelationOf(type) : undefined;
    if (knownInverse && typeof inverse === 'string' && inverse !== knownInverse) {
      add(`${base}.inverse`, `must be "${knownInverse}", the inverse of the built-in relation "${String(type)}"`);
    }
    if (targetKind !== undefined) {
      const problem = explainKind(targetKind);
      if (problem) add(`${base}.targetKind`, `${quoteValue(targetKind)} is not a valid kind: it ${problem}`);
    }
  });
  return issues;
}

/**
 * Checks a list of custom kinds: each definition, and that no two of them (or a custom and a
 * built-in kind) claim the same kind and apiVersion. Paths start with the definition's index.
 */
export function validateCustomKindDefinitions(definitions: readonly unknown[]): ValidationIssue[] {
  const ajv = createAjv();
  const issues: ValidationIssue[] = [];
  const claimed = new Map<string, string>();
  for (const builtin of BUILTIN_KINDS) {
    for (const v of apiVersionsOf(builtin)) claimed.set(`${builtin.kind} ${v}`, 'a built-in kind');
  }
  definitions.forEach((definition, i) => {
    const own = validateCustomKindDefinition(definition, ajv);
    issues.push(...own.map((issue) => ({ ...issue, path: issue.path ? `[${i}].${issue.path}` : `[${i}]` })));
    if (own.length > 0 || !isRecord(definition)) return;
    for (const v of apiVersionsOf(definition as KindDefinition)) {
      const key = `${String(definition.kind)} ${v}`;
      const owner = claimed.get(key);
      if (owner) {
        issues.push({
          path: `[${i}].kind`,
          message: `${label(definition)}: kind ${String(definition.kind)} with apiVersion ${v} is already defined by ${owner}`,
        });
      } else {
        claimed.set(key, `custom kind definition [${i}]`);
      }
    }
  });
  return issues;
}
