import nunjucks from 'nunjucks';

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
    if (obj === undefined || obj === null) return undefined;
    const key = typeof val === 'number' ? val : String(val);
    if (typeof key === 'string' && BLOCKED_MEMBERS.has(key)) {
      throw new TemplateSandboxError(`Access to "${key}" is not allowed in template expressions`);
    }
    if (typeof obj === 'function') {
      throw new TemplateSandboxError(`Reading "${String(key)}" of a function is not allowed in template expressions`);
    }
    const target = obj as Record<string | number, unknown>;
    const value = target[key];
    if (typeof value === 'function') {
      // Methods of strings and arrays (split, join, replace, ...) stay callable; the bound
      // wrapper is itself a function, so nothing can be read off it.
      return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(obj, args);
    }
    return value;
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
