import nunjucks from 'nunjucks';
import { chargeOutput, chargeStep, checkCallArguments, checkString } from './budget.js';

/**
 * Member names a template may never read. Reaching `constructor` on any value leads to
 * `Function`, and from there to `process`; the others reach prototypes or define accessors.
 */
const BLOCKED_MEMBERS = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'caller',
  'callee',
  'arguments',
]);

export class TemplateSandboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateSandboxError';
  }
}

interface RuntimeLike {
  memberLookup(obj: unknown, val: unknown): unknown;
  suppressValue(val: unknown, autoescape: boolean): unknown;
  callWrap(obj: unknown, name: string, context: unknown, args: unknown[]): unknown;
  Frame: { prototype: { set(name: string, val: unknown, resolveUp?: boolean): void } };
}

let hardened = false;

/**
 * Replaces nunjucks' member lookup (every `a.b` and `a['b']` in compiled templates goes
 * through it) with one that refuses prototype and constructor access and any member access
 * on functions. nunjucks compiles templates to JavaScript, so this lookup is the sandbox
 * boundary; the runtime object is shared, so the change applies to every nunjucks user in
 * the process, which only makes them stricter.
 */
export function hardenNunjucksRuntime(): void {
  if (hardened) return;
  hardened = true;
  const runtime = (nunjucks as unknown as { runtime: RuntimeLike }).runtime;
  runtime.memberLookup = function memberLookup(obj: unknown, val: unknown): unknown {
    chargeStep();
    if (obj === undefined || obj === null) return undefined;
    const key = typeof val === 'number' ? val : String(val);
    if (typeof key === 'string' && BLOCKED_MEMBERS.has(key)) {
      throw new TemplateSandboxError(`Access to "${key}" is not allowed in template expressions`);
    }
    if (typeof obj === 'function') {
      throw new TemplateSandboxError(`Reading "${String(key)}" of a function is not allowed in template expressions`);
    }
    if (obj instanceof RegExp) checkCallArguments([obj], `reading "${String(key)}" of a regular expression`);
    const target = obj as Record<string | number, unknown>;
    const value = target[key];
    if (typeof value === 'function') {
      // Methods of strings and arrays (split, join, replace, ...) stay callable; the bound
      // wrapper is itself a function, so nothing can be read off it. Their arguments and
      // results are held to the render budget (see budget.ts).
      return (...args: unknown[]) => {
        checkCallArguments(args, `${String(key)}()`);
        const result = (value as (...a: unknown[]) => unknown).apply(obj, args);
        checkString(result, `the result of ${String(key)}()`);
        return result;
      };
    }
    return value;
  };

  // Work counters for the render budget: every loop iteration assigns frame variables, every
  // `{{ }}` goes through suppressValue, every call through callWrap.
  const frameSet = runtime.Frame.prototype.set;
  runtime.Frame.prototype.set = function set(this: unknown, name: string, val: unknown, resolveUp?: boolean): void {
    chargeStep();
    checkString(val, `the variable "${name}"`);
    frameSet.call(this, name, val, resolveUp);
  };
  const suppressValue = runtime.suppressValue;
  runtime.suppressValue = function (val: unknown, autoescape: boolean): unknown {
    const out = suppressValue.call(this, val, autoescape);
    chargeOutput(out);
    return out;
  };
  const callWrap = runtime.callWrap;
  runtime.callWrap = function (obj: unknown, name: string, context: unknown, args: unknown[]): unknown {
    chargeStep();
    return callWrap.call(this, obj, name, context, args);
  };
}

/** A filter held to the render budget: counted, no regular expressions or huge counts, bounded result. */
export function budgetedFilter(name: string, filter: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return function (this: unknown, ...args: unknown[]) {
    chargeStep();
    checkCallArguments(args.slice(1), `the ${name} filter`);
    const result = filter.apply(this, args);
    checkString(result, `the result of the ${name} filter`);
    return result;
  };
}

/** At most this many items from `range()`, so a template cannot allocate without bound. */
export const MAX_RANGE = 10_000;

export function boundedRange(start: number, stop?: number, step = 1): number[] {
  let from = start;
  let to = stop;
  if (to === undefined) {
    to = from;
    from = 0;
  }
  if (!step) step = 1;
  const out: number[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) {
    if (out.length >= MAX_RANGE) throw new TemplateSandboxError(`range() is limited to ${MAX_RANGE} items`);
    out.push(i);
  }
  return out;
}
