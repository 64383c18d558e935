/**
 * A budget for one render. nunjucks renders synchronously on the event loop, so neither the
 * step timeout nor cancelling a task can stop a render once it started; a template with nested
 * loops (`range(10000)` three deep) once held the server for 84 s. Instead every render counts
 * its work (loop iterations, variable assignments, outputs, calls, member reads) and stops with
 * TemplateTooExpensiveError once it passes the budget, and no string it builds may pass a size
 * limit. The counting hooks live in sandbox.ts; they do nothing outside `withRenderBudget`.
 */
export interface RenderLimits {
  /** Units of work per render: each loop iteration costs about 10. */
  maxSteps: number;
  /** Longest string a render may build or output, in characters. */
  maxStringChars: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = { maxSteps: 500_000, maxStringChars: 10 * 1024 * 1024 };

export class TemplateTooExpensiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateTooExpensiveError';
  }
}

class RenderBudget {
  steps = 0;
  outputChars = 0;
  exceeded: TemplateTooExpensiveError | undefined;
  constructor(readonly limits: RenderLimits) {}

  fail(message: string): never {
    this.exceeded ??= new TemplateTooExpensiveError(`Template too expensive: ${message}`);
    throw this.exceeded;
  }
}

let active: RenderBudget | undefined;

/** Runs a synchronous render under a budget (a nested call shares the outer budget). */
export function withRenderBudget<T>(limits: RenderLimits, render: () => T): T {
  if (active) return render();
  const budget = new RenderBudget(limits);
  active = budget;
  try {
    return render();
  } catch (error) {
    // nunjucks wraps errors thrown inside a template; report the budget's own error instead.
    if (budget.exceeded) throw budget.exceeded;
    throw error;
  } finally {
    active = undefined;
  }
}

/** One unit of work (or `n`); throws when the render's budget is spent. */
export function chargeStep(n = 1): void {
  const budget = active;
  if (!budget) return;
  budget.steps += n;
  if (budget.steps > budget.limits.maxSteps) {
    budget.fail(`rendering took more than ${budget.limits.maxSteps.toLocaleString('en')} steps (loops nested too deep or too long); simplify the template`);
  }
}

/** Refuses a string (a variable, an output, a call's result) longer than the limit. */
export function checkString(value: unknown, what: string): void {
  const budget = active;
  if (!budget || typeof value !== 'string') return;
  if (value.length > budget.limits.maxStringChars) {
    budget.fail(
      `${what} would be ${value.length.toLocaleString('en')} characters long, more than the ${budget.limits.maxStringChars.toLocaleString('en')} allowed`,
    );
  }
}

/** Counts what a render writes out; refuses output past the string limit. */
export function chargeOutput(value: unknown): void {
  const budget = active;
  if (!budget) return;
  chargeStep();
  const length = typeof value === 'string' ? value.length : 0;
  budget.outputChars += length;
  if (budget.outputChars > budget.limits.maxStringChars) {
    budget.fail(`its output passed ${budget.limits.maxStringChars.toLocaleString('en')} characters`);
  }
}

/**
 * Refuses arguments that make one built-in call arbitrarily expensive: a regular expression
 * (backtracking has no time bound) or a count larger than the string limit (`'x'.repeat(n)`,
 * `padStart(n)`, the `indent`/`center` filters).
 */
export function checkCallArguments(args: readonly unknown[], what: string): void {
  const budget = active;
  if (!budget) return;
  for (const arg of args) {
    if (arg instanceof RegExp) budget.fail(`${what} was given a regular expression; templates may not use them (their run time cannot be bounded)`);
    if (typeof arg === 'number' && Math.abs(arg) > budget.limits.maxStringChars) {
      budget.fail(`${what} was given ${arg}, more than the ${budget.limits.maxStringChars.toLocaleString('en')} allowed`);
    }
  }
}

/** Whether a render is running under a budget (for hooks that must stay cheap otherwise). */
export function renderBudgetActive(): boolean {
  return active !== undefined;
}
