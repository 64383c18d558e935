import { Environment } from '@marcbachmann/cel-js';

/**
 * Automation conditions and placeholders are CEL expressions (the language scorecards use),
 * over `event`, `entity`, `before` and `after`. CEL has no loops, assignment or host access;
 * parse-time limits bound an expression's size, and values are plain JSON copies.
 */

export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

export interface ExpressionContext {
  event: Record<string, unknown>;
  entity: unknown;
  before: unknown;
  after: unknown;
}

export interface Compiled {
  source: string;
  evaluate(ctx: ExpressionContext): unknown;
}

const MAX_SOURCE = 2000;
const MAX_STRING = 10_000;
const MAX_LIST = 1_000;

const environment = new Environment({
  homogeneousAggregateLiterals: false,
  limits: { maxAstNodes: 400, maxDepth: 40, maxListElements: 200, maxMapEntries: 100, maxCallArguments: 8 },
})
  .registerVariable('event', 'map')
  .registerVariable('entity', 'dyn')
  .registerVariable('before', 'dyn')
  .registerVariable('after', 'dyn')
  .registerFunction('timestampMillis(string): int', (v: string) => {
    const t = Date.parse(v);
    if (Number.isNaN(t)) throw new Error(`not a date: ${v}`);
    return BigInt(t);
  });

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0]!.trim();
}

/** Parses and type-checks an expression; throws ExpressionError with the reason. */
export function compile(source: string, what = 'expression'): Compiled {
  if (typeof source !== 'string' || !source.trim()) throw new ExpressionError(`${what} is empty`);
  if (source.length > MAX_SOURCE) throw new ExpressionError(`${what} is longer than ${MAX_SOURCE} characters`);
  let parsed: ReturnType<typeof environment.parse>;
  try {
    parsed = environment.parse(source);
  } catch (e) {
    throw new ExpressionError(`${what} ${JSON.stringify(source)}: ${firstLine(e)}`);
  }
  const checked = environment.check(source);
  if (!checked.valid) throw new ExpressionError(`${what} ${JSON.stringify(source)}: ${firstLine(checked.error)}`);
  return {
    source,
    evaluate(ctx) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        return normalise(parsed(plain(ctx, 0) as Record<string, unknown>));
      } finally {
        Error.stackTraceLimit = limit;
      }
    },
  };
}

/** A condition must be able to yield a boolean. */
export function compileCondition(source: string): Compiled {
  const compiled = compile(source, 'condition');
  const checked = environment.check(source);
  if (checked.valid && checked.type !== 'bool' && checked.type !== 'dyn') {
    throw new ExpressionError(`condition ${JSON.stringify(source)} must be a boolean, but it yields ${checked.type}`);
  }
  return compiled;
}

/** Plain JSON copy with long strings and lists cut, so CEL sees data only. */
function plain(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return v.length > MAX_STRING ? v.slice(0, MAX_STRING) : v;
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (depth > 20) return null;
  if (Array.isArray(v)) return v.slice(0, MAX_LIST).map((x) => plain(x, depth + 1));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) out[k] = plain(x, depth + 1);
    return out;
  }
  return null;
}

/** CEL ints are BigInt and maps may be Maps; turn results back into JSON values. */
export function normalise(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(normalise);
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), normalise(x)]));
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]));
  return v;
}

const PLACEHOLDER = /\{\{\s*([\s\S]+?)\s*\}\}/g;

/**
 * A JSON template: every string may hold `{{ cel }}` placeholders. A string that is exactly one
 * placeholder becomes the expression's value (an object, a number); otherwise values are
 * interpolated as text (objects as JSON). Compiled once, when the definition loads.
 */
export interface Template {
  render(ctx: ExpressionContext): unknown;
}

export function compileTemplate(value: unknown, what: string): Template {
  if (typeof value === 'string') {
    const parts: Array<string | Compiled> = [];
    let last = 0;
    for (const m of value.matchAll(PLACEHOLDER)) {
      if (m.index! > last) parts.push(value.slice(last, m.index));
      parts.push(compile(m[1]!, `placeholder in ${what}`));
      last = m.index! + m[0].length;
    }
    if (last < value.length) parts.push(value.slice(last));
    if (parts.length === 1 && typeof parts[0] !== 'string') {
      const only = parts[0]!;
      return { render: (ctx) => only.evaluate(ctx) };
    }
    return {
      render: (ctx) =>
        parts
          .map((p) => {
            if (typeof p === 'string') return p;
            const v = p.evaluate(ctx);
            return typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v);
          })
          .join(''),
    };
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileTemplate(v, `${what}[${i}]`));
    return { render: (ctx) => items.map((t) => t.render(ctx)) };
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, compileTemplate(v, `${what}.${k}`)] as const);
    return { render: (ctx) => Object.fromEntries(entries.map(([k, t]) => [k, t.render(ctx)])) };
  }
  return { render: () => value };
}
