import nunjucks from 'nunjucks';
import { templateFilters } from './filters.js';
import { DEFAULT_RENDER_LIMITS, TemplateTooExpensiveError, withRenderBudget, type RenderLimits } from './budget.js';
import { boundedRange, budgetedFilter, hardenNunjucksRuntime, TemplateSandboxError } from './sandbox.js';

export { TemplateSandboxError, TemplateTooExpensiveError };

export interface RendererOptions {
  /** `{{ cookiecutter.x }}` instead of `${{ values.x }}` (fetch:template's cookiecutterCompat). */
  cookiecutterCompat?: boolean;
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  /** Extra filters added by plugins. */
  filters?: Record<string, (...args: never[]) => unknown>;
  /** Work and size limits of each render (see budget.ts). */
  limits?: RenderLimits;
}

/** An expression failed to render; `message` says which. */
export class TemplateRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateRenderError';
  }
}

const SINGLE_EXPRESSION = /^\$\{\{([\s\S]*)\}\}$/;

/**
 * Renders Backstage's `${{ }}` expressions with nunjucks, in a hardened runtime (see
 * sandbox.ts), with Backstage's filters and nothing from the process in scope: the only
 * names a template sees are the context it is given plus range/cycler/joiner.
 */
export class TemplateRenderer {
  private readonly env: nunjucks.Environment;

  constructor(private readonly options: RendererOptions = {}) {
    hardenNunjucksRuntime();
    // No loader: include/import/extends have nothing to read.
    this.env = new nunjucks.Environment([], {
      autoescape: false,
      throwOnUndefined: false,
      trimBlocks: options.trimBlocks ?? false,
      lstripBlocks: options.lstripBlocks ?? false,
      tags: options.cookiecutterCompat ? {} : { variableStart: '${{', variableEnd: '}}' },
    });
    this.env.addGlobal('range', boundedRange);
    for (const [name, fn] of Object.entries({ ...templateFilters, ...(options.filters ?? {}) })) {
      this.env.addFilter(name, fn as (...args: unknown[]) => unknown);
    }
    if (options.cookiecutterCompat) this.env.addFilter('jsonify', (v: unknown) => JSON.stringify(v));
    // Every filter, nunjucks' own included (indent, center, replace, ...), counts against the budget.
    const filters = (this.env as unknown as { filters: Record<string, (...args: unknown[]) => unknown> }).filters;
    for (const [name, fn] of Object.entries(filters)) this.env.addFilter(name, budgetedFilter(name, fn));
  }

  /**
   * Renders a string template to a string, within the render budget: a template that loops or
   * builds strings past it fails with TemplateTooExpensiveError instead of holding the server.
   */
  renderString(template: string, context: Record<string, unknown>): string {
    try {
      return withRenderBudget(this.options.limits ?? DEFAULT_RENDER_LIMITS, () => this.env.renderString(template, this.scope(context)));
    } catch (error) {
      if (error instanceof TemplateTooExpensiveError) throw error;
      throw toRenderError(error, template);
    }
  }

  /**
   * Renders every string inside a JSON value. A string that is exactly one `${{ expr }}`
   * keeps the expression's JSON type (arrays, objects, booleans, numbers), as in Backstage.
   */
  renderValue(value: unknown, context: Record<string, unknown>): unknown {
    if (typeof value === 'string') return this.renderStringValue(value, context);
    if (Array.isArray(value)) return value.map((v) => this.renderValue(v, context));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.renderValue(v, context);
      return out;
    }
    return value;
  }

  private renderStringValue(value: string, context: Record<string, unknown>): unknown {
    if (!value.includes('${{')) return value;
    const single = SINGLE_EXPRESSION.exec(value.trim());
    if (single && !single[1]!.includes('${{') && !single[1]!.includes('}}')) {
      const rendered = this.renderString(`\${{ (${single[1]}) | dump }}`, context);
      if (rendered === '' || rendered === 'undefined') return undefined;
      try {
        return JSON.parse(rendered) as unknown;
      } catch {
        return rendered;
      }
    }
    return this.renderString(value, context);
  }

  private scope(context: Record<string, unknown>): Record<string, unknown> {
    if (!this.options.cookiecutterCompat) return context;
    return { ...context, cookiecutter: context['values'] };
  }
}

function toRenderError(error: unknown, template: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const short = template.length > 120 ? `${template.slice(0, 117)}...` : template;
  // nunjucks wraps errors as "(unknown path) [Line 1, Column 5]\n  Error: ..."; keep the gist.
  const cleaned = message
    .replace(/^\(unknown path\)\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (/not allowed in template/.test(cleaned)) return new TemplateSandboxError(`Template expression refused: ${cleaned}`);
  return new TemplateRenderError(`Cannot render "${short}": ${cleaned}`);
}

/** Backstage's falsy for `if`: false, undefined, null, "", 0, [] and the string "false". */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value === 'false') return false;
  return Boolean(value);
}
