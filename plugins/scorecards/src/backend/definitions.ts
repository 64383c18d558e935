import { createAjv, formatFieldErrors, toFieldErrors, type JsonSchema } from '@atrium/backend-plugin-api';
import type { DefinitionError, EntitySelector, InitiativeDefinition, ScorecardDefinition, ScorecardRule } from '../common/index.js';
import { ConditionError, compileCondition, compileExpression, type CompiledExpression, type KnownNames } from './expression.js';

export const SCORECARD_API_VERSION = 'atrium.dev/v1alpha1';

const selectorSchema: JsonSchema = {
  type: 'object',
  additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
};

/** Spec of a Scorecard entity, and of an entry in `scorecards.definitions` (which adds `id`). */
export const scorecardSpecSchema: JsonSchema = {
  type: 'object',
  required: ['levels', 'rules'],
  properties: {
    title: { type: 'string' },
    description: { type: 'string' },
    filter: selectorSchema,
    levels: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string', minLength: 1 }, title: { type: 'string' }, color: { type: 'string' } },
      },
    },
    rules: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'level', 'condition'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' },
          title: { type: 'string' },
          description: { type: 'string' },
          level: { type: 'string' },
          weight: { type: 'number', minimum: 0 },
          condition: { type: 'string' },
          failureMessage: { type: 'string' },
          expected: { type: 'string' },
          actual: { type: 'string' },
          effectiveFrom: { type: 'string', format: 'date' },
          filter: selectorSchema,
        },
      },
    },
  },
};

export const initiativeSpecSchema: JsonSchema = {
  type: 'object',
  required: ['scorecard', 'owner', 'startDate', 'deadline'],
  properties: {
    title: { type: 'string' },
    description: { type: 'string' },
    scorecard: { type: 'string' },
    targetLevel: { type: 'string' },
    rules: { type: 'array', items: { type: 'string' } },
    filter: selectorSchema,
    owner: { type: 'string' },
    startDate: { type: 'string', format: 'date' },
    deadline: { type: 'string', format: 'date' },
  },
};

const ajv = createAjv({ useDefaults: false });
const validateScorecard = ajv.compile(scorecardSpecSchema);
const validateInitiative = ajv.compile(initiativeSpecSchema);

const DEFAULT_COLORS = ['#cd7f32', '#9ea7b3', '#e6b422', '#4c9aff', '#7a5af8'];

/** A scorecard ready to evaluate: its definition plus compiled conditions. */
export interface LoadedScorecard {
  definition: ScorecardDefinition;
  conditions: Map<string, CompiledExpression>;
  actuals: Map<string, CompiledExpression>;
}

export interface RawDefinition {
  id: string;
  source: string;
  spec: unknown;
}

export interface LoadResult {
  scorecards: LoadedScorecard[];
  initiatives: InitiativeDefinition[];
  errors: DefinitionError[];
}

/**
 * Validates and compiles scorecards and initiatives. A bad scorecard or rule is reported with
 * its source, scorecard, rule and reason and left out; the others load. A scorecard with an
 * invalid rule is dropped whole, since its levels would otherwise mean something else.
 */
export function loadDefinitions(rawScorecards: RawDefinition[], rawInitiatives: RawDefinition[], known: KnownNames): LoadResult {
  const errors: DefinitionError[] = [];
  const scorecards: LoadedScorecard[] = [];
  const seen = new Set<string>();
  for (const raw of rawScorecards) {
    if (seen.has(raw.id)) {
      errors.push({ source: raw.source, scorecard: raw.id, message: `duplicate scorecard id "${raw.id}"; the first definition is kept` });
      continue;
    }
    const loaded = loadScorecard(raw, known, errors);
    if (loaded) {
      seen.add(raw.id);
      scorecards.push(loaded);
    }
  }
  const initiatives: InitiativeDefinition[] = [];
  const seenInitiatives = new Set<string>();
  for (const raw of rawInitiatives) {
    const fail = (message: string) => errors.push({ source: raw.source, initiative: raw.id, message });
    if (seenInitiatives.has(raw.id)) {
      fail(`duplicate initiative id "${raw.id}"; the first definition is kept`);
      continue;
    }
    if (!validateInitiative(raw.spec)) {
      fail(formatFieldErrors(toFieldErrors(validateInitiative.errors, 'spec')));
      continue;
    }
    const spec = raw.spec as Omit<InitiativeDefinition, 'id' | 'source' | 'filter' | 'title'> & { title?: string; filter?: EntitySelector };
    const scorecard = scorecards.find((s) => s.definition.id === spec.scorecard)?.definition;
    if (!scorecard) {
      fail(`unknown scorecard "${spec.scorecard}"`);
      continue;
    }
    if (!spec.targetLevel && !spec.rules?.length) {
      fail('needs a targetLevel or a list of rules');
      continue;
    }
    if (spec.targetLevel && !scorecard.levels.some((l) => l.id === spec.targetLevel)) {
      fail(`targetLevel "${spec.targetLevel}" is not a level of scorecard "${scorecard.id}"`);
      continue;
    }
    const unknownRule = spec.rules?.find((r) => !scorecard.rules.some((x) => x.id === r));
    if (unknownRule) {
      fail(`rule "${unknownRule}" is not in scorecard "${scorecard.id}"`);
      continue;
    }
    seenInitiatives.add(raw.id);
    initiatives.push({ ...spec, id: raw.id, title: spec.title ?? raw.id, filter: spec.filter ?? {}, source: raw.source });
  }
  return { scorecards, initiatives, errors };
}

function loadScorecard(raw: RawDefinition, known: KnownNames, errors: DefinitionError[]): LoadedScorecard | undefined {
  const fail = (message: string, rule?: string) => errors.push({ source: raw.source, scorecard: raw.id, ...(rule ? { rule } : {}), message });
  if (!validateScorecard(raw.spec)) {
    fail(formatFieldErrors(toFieldErrors(validateScorecard.errors, 'spec')));
    return undefined;
  }
  const spec = raw.spec as {
    title?: string;
    description?: string;
    filter?: EntitySelector;
    levels: Array<{ id: string; title?: string; color?: string }>;
    rules: Array<Omit<ScorecardRule, 'weight' | 'title'> & { weight?: number; title?: string }>;
  };
  const levelIds = new Set<string>();
  for (const l of spec.levels) {
    if (levelIds.has(l.id)) {
      fail(`duplicate level id "${l.id}"`);
      return undefined;
    }
    levelIds.add(l.id);
  }
  const conditions = new Map<string, CompiledExpression>();
  const actuals = new Map<string, CompiledExpression>();
  let ok = true;
  for (const rule of spec.rules) {
    if (conditions.has(rule.id)) {
      fail(`duplicate rule id "${rule.id}"`, rule.id);
      ok = false;
      continue;
    }
    if (!levelIds.has(rule.level)) {
      fail(`level "${rule.level}" is not one of ${[...levelIds].join(', ')}`, rule.id);
      ok = false;
      continue;
    }
    let field = 'condition';
    try {
      conditions.set(rule.id, compileCondition(rule.condition, known));
      field = 'actual';
      if (rule.actual) actuals.set(rule.id, compileExpression(rule.actual, known));
    } catch (e) {
      if (!(e instanceof ConditionError)) throw e;
      fail(`invalid ${field}: ${e.message}`, rule.id);
      ok = false;
    }
  }
  if (!ok) return undefined;
  return {
    definition: {
      id: raw.id,
      title: spec.title ?? raw.id,
      ...(spec.description ? { description: spec.description } : {}),
      filter: spec.filter ?? {},
      levels: spec.levels.map((l, i) => ({ id: l.id, title: l.title ?? l.id, color: l.color ?? DEFAULT_COLORS[i % DEFAULT_COLORS.length]! })),
      rules: spec.rules.map((r) => ({ ...r, title: r.title ?? r.id, weight: r.weight ?? 1 })),
      source: raw.source,
    },
    conditions,
    actuals,
  };
}
