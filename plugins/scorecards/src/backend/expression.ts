import { Environment } from '@marcbachmann/cel-js';
import safeRegex from 'safe-regex2';

/**
 * Rule conditions are CEL (Common Expression Language) expressions, run by @marcbachmann/cel-js:
 * non-Turing-complete, no access to host objects or prototypes, size-limited at parse time.
 * On top of CEL we check at load time that every `facts.x` names a known fact and that
 * every regex is a literal that is not catastrophic; see docs/scorecards.md.
 */

/** Longest string the evaluator sees; longer entity strings are cut so regexes stay bounded. */
export const MAX_STRING_LENGTH = 10_000;
/** Longest list the evaluator sees; longer lists are cut so one step over a list stays bounded. */
export const MAX_LIST_LENGTH = 1_000;
export const MAX_REGEX_LENGTH = 200;
/**
 * Cost budget of one evaluation of one expression: iterations of `all`, `exists`, `exists_one`,
 * `map` and `filter` together. An evaluation that needs more stops with an error.
 */
export const MAX_EVALUATION_STEPS = 25_000;
/** Comprehensions (`all`, `exists`, `map`, ...) nested deeper than this are refused at load: cost grows as n^depth. */
export const MAX_COMPREHENSION_DEPTH = 2;

export class ConditionError extends Error {
  override name = 'ConditionError';
}

export interface EvaluationContext {
  entity: unknown;
  facts: Record<string, unknown>;
  relations: Record<string, string[]>;
  /** Evaluation time: effective dates and daysSince() compare against it, never the wall clock. */
  now: Date;
}

export type ConditionOutcome = { ok: true; value: unknown } | { ok: false; reason: string };

/** Thrown inside an evaluation when its step budget is spent; reported as the outcome's reason. */
class CostLimitExceeded extends Error {
  override name = 'CostLimitExceeded';
}
const COST_LIMIT_REASON = `evaluation stopped: it needed more than ${MAX_EVALUATION_STEPS.toLocaleString('en')} iterations (all/exists/map/filter steps), the cost limit of one condition`;

/**
 * The evaluation in progress. CEL evaluation here is synchronous, so one slot is enough: custom
 * functions (daysSince) read its time, comprehension steps spend its budget.
 */
let current: { now: Date; steps: number; exhausted: boolean } | undefined;

function spendStep(): void {
  const run = current;
  if (!run) return;
  if (run.exhausted || ++run.steps > MAX_EVALUATION_STEPS) {
    run.exhausted = true;
    throw new CostLimitExceeded(COST_LIMIT_REASON);
  }
}

export interface CompiledExpression {
  source: string;
  evaluate(ctx: EvaluationContext): ConditionOutcome;
}

const environment = new Environment({
  homogeneousAggregateLiterals: false,
  limits: { maxAstNodes: 400, maxDepth: 40, maxListElements: 200, maxMapEntries: 100, maxCallArguments: 8 },
})
  .registerVariable('entity', 'map')
  .registerVariable('facts', 'map')
  .registerVariable('relations', 'map')
  .registerFunction('count(dyn): int', (v: unknown) => BigInt(countOf(v)))
  .registerFunction('empty(dyn): bool', (v: unknown) => isEmpty(v))
  .registerFunction('exists(dyn): bool', (v: unknown) => !isEmpty(v))
  .registerFunction('daysSince(string): double', (v: string) => {
    const t = Date.parse(v);
    if (Number.isNaN(t)) throw new Error(`not a date: ${v}`);
    if (!current) throw new Error('daysSince() needs an evaluation time');
    return (current.now.getTime() - t) / 86_400_000;
  });

function countOf(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (Array.isArray(v) || typeof v === 'string') return v.length;
  if (v instanceof Map) return v.size;
  if (typeof v === 'object') return Object.keys(v).length;
  return 1;
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.trim().length === 0;
  return (Array.isArray(v) || v instanceof Map || typeof v === 'object') && countOf(v) === 0;
}

type AstNode = { op: string; args: unknown; meta?: { alternate?: AstNode; evaluate?: StepEvaluate } };
type StepEvaluate = (this: unknown, ...args: unknown[]) => unknown;

/** What an expression may name, checked when it is loaded. */
export interface KnownNames {
  facts?: ReadonlySet<string>;
  relations?: ReadonlySet<string>;
}

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/** The comprehension a macro call (`l.all(x, p)`) expands to, as cel-js's parser records it. */
function comprehensionOf(node: AstNode): { step: AstNode } | undefined {
  const alternate = node.meta?.alternate;
  if (node.op !== 'rcall' || alternate?.op !== 'comprehension') return undefined;
  const step = (alternate.args as { step?: AstNode } | undefined)?.step;
  return step ? { step } : undefined;
}

/** Walks the parsed AST for the checks CEL itself does not make. */
function checkAst(node: unknown, known: KnownNames, problems: string[], chain: string[] = []): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) checkAst(n, known, problems, chain);
    return;
  }
  const { op, args } = node as AstNode;
  if (typeof op !== 'string') return;
  if ((op === '.' || op === '[]') && Array.isArray(args)) {
    const [target, key] = args as [AstNode, unknown];
    const name = op === '.' ? key : (key as AstNode)?.op === 'value' ? (key as AstNode).args : undefined;
    const names =
      target?.op === 'id' && typeof name === 'string'
        ? ({ facts: known.facts, relations: known.relations } as Record<string, ReadonlySet<string> | undefined>)[String(target.args)]
        : undefined;
    if (names && typeof name === 'string' && !names.has(name)) {
      const what = target.args === 'facts' ? 'fact' : 'relation type';
      problems.push(`unknown ${what} "${name}" (known: ${[...names].sort().join(', ')})`);
    }
  }
  if (op === 'rcall' && Array.isArray(args) && COMPREHENSIONS.has(String(args[0])) && comprehensionOf(node as AstNode)) {
    const nested = [...chain, String(args[0])];
    if (nested.length === MAX_COMPREHENSION_DEPTH + 1) {
      problems.push(
        `comprehensions nested ${nested.length} deep (${nested.join(' → ')}); at most ${MAX_COMPREHENSION_DEPTH} are allowed, since the cost grows with the list length to the power of the depth`,
      );
    }
    checkAst(args[1], known, problems, chain);
    checkAst(args[2], known, problems, nested);
    return;
  }
  if (op === 'rcall' && Array.isArray(args) && args[0] === 'matches') {
    const pattern = (args[2] as AstNode[] | undefined)?.[0];
    if (pattern?.op !== 'value' || typeof pattern.args !== 'string') {
      problems.push('matches() needs a string literal pattern');
    } else {
      problems.push(...regexProblems(pattern.args));
    }
  }
  if (Array.isArray(args)) checkAst(args, known, problems, chain);
}

/** Makes every comprehension step of a parsed expression spend the running evaluation's budget. */
function meterComprehensions(node: unknown, seen = new Set<object>()): void {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const n of node) meterComprehensions(n, seen);
    return;
  }
  const ast = node as AstNode;
  const comprehension = comprehensionOf(ast);
  const meta = comprehension?.step.meta;
  if (meta && typeof meta.evaluate === 'function' && !seen.has(meta)) {
    seen.add(meta);
    const step = meta.evaluate;
    meta.evaluate = function meteredStep(this: unknown, ...args: unknown[]) {
      spendStep();
      return step.apply(this, args);
    };
  }
  if (Array.isArray(ast.args)) meterComprehensions(ast.args, seen);
}

/** Why a pattern is refused, if it is: too long, invalid, or catastrophic (exponential backtracking). */
export function regexProblems(pattern: string): string[] {
  if (pattern.length > MAX_REGEX_LENGTH) return [`regex is longer than ${MAX_REGEX_LENGTH} characters`];
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    return [`invalid regex ${JSON.stringify(pattern)}: ${(e as Error).message}`];
  }
  // safe-regex2 measures star height; overlapping alternatives under a quantifier ((a|a)*) it misses,
  // so quantified groups with alternation are refused outright (a character class usually does).
  if (/\((?:[^()\\]|\\.)*\|(?:[^()\\]|\\.)*\)(?:[*+]|\{\d*,)/.test(pattern)) {
    return [`regex ${JSON.stringify(pattern)} repeats a group with alternatives, which can backtrack catastrophically`];
  }
  if (!safeRegex(pattern, { limit: 25 })) return [`regex ${JSON.stringify(pattern)} may backtrack catastrophically (nested quantifiers)`];
  return [];
}

/**
 * Parses and checks an expression. Throws ConditionError with the reason when it is not
 * valid CEL, calls unknown functions or variables, names an unknown fact, or uses an unsafe regex.
 */
export function compileExpression(source: string, known: KnownNames = {}): CompiledExpression {
  if (typeof source !== 'string' || !source.trim()) throw new ConditionError('condition is empty');
  if (source.length > 2000) throw new ConditionError('condition is longer than 2000 characters');
  let parsed: ReturnType<typeof environment.parse>;
  try {
    parsed = environment.parse(source);
  } catch (e) {
    throw new ConditionError(firstLine(e));
  }
  const checked = environment.check(source);
  if (!checked.valid) throw new ConditionError(firstLine(checked.error));
  const problems: string[] = [];
  checkAst(parsed.ast, known, problems);
  if (problems.length) throw new ConditionError(problems.join('; '));
  meterComprehensions(parsed.ast);
  return {
    source,
    evaluate(ctx) {
      // A rule on a field some entities lack fails by throwing; across 100,000 entities the
      // stack traces of those errors cost more than evaluating. Evaluation is synchronous, so
      // turning traces off around it affects nothing else.
      const traceLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      const outer = current;
      const run = (current = { now: ctx.now, steps: 0, exhausted: false });
      try {
        const value = normalise(parsed(prepareContext(ctx) as unknown as Record<string, unknown>));
        // `exists`/`all` keep going past a failing step, so a spent budget may not surface as the error.
        return run.exhausted ? { ok: false, reason: COST_LIMIT_REASON } : { ok: true, value };
      } catch (e) {
        return { ok: false, reason: run.exhausted ? COST_LIMIT_REASON : firstLine(e) };
      } finally {
        current = outer;
        Error.stackTraceLimit = traceLimit;
      }
    },
  };
}

/** Compiles a rule condition; additionally its result type must be able to be a boolean. */
export function compileCondition(source: string, known: KnownNames = {}): CompiledExpression {
  const compiled = compileExpression(source, known);
  const checked = environment.check(source);
  if (checked.valid && checked.type !== 'bool' && checked.type !== 'dyn') {
    throw new ConditionError(`condition must be a boolean, but it yields ${checked.type}`);
  }
  return compiled;
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String((e as { message?: string })?.message ?? e);
  return message.split('\n')[0]!.trim();
}

const prepared = new WeakSet<object>();

/**
 * The context CEL sees: plain JSON copies with long strings cut. Evaluating many rules for one
 * entity, prepare it once and pass the result; evaluate() does not copy a prepared context again.
 */
export function prepareContext(ctx: EvaluationContext): EvaluationContext {
  if (prepared.has(ctx)) return ctx;
  const relations = Object.fromEntries(Object.entries(ctx.relations).map(([type, refs]) => [type, refs.slice(0, MAX_LIST_LENGTH)]));
  const out = { entity: capStrings(ctx.entity, 0), facts: capStrings(ctx.facts, 0) as Record<string, unknown>, relations, now: ctx.now };
  prepared.add(out);
  return out;
}

/** Copies plain JSON, cutting long strings and lists and dropping non-JSON values (so CEL sees data only). */
function capStrings(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return v.length > MAX_STRING_LENGTH ? v.slice(0, MAX_STRING_LENGTH) : v;
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  if (depth > 20) return null;
  if (Array.isArray(v)) return v.slice(0, MAX_LIST_LENGTH).map((x) => capStrings(x, depth + 1));
  if (typeof v === 'object' && v !== undefined) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) out[k] = capStrings(x, depth + 1);
    return out;
  }
  return null;
}

/** CEL ints are BigInt; turn results back into JSON-friendly values. */
export function normalise(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(normalise);
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), normalise(x)]));
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]));
  }
  return v;
}
