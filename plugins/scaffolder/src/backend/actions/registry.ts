import { createAjv, toFieldErrors, type FieldError } from '@atrium/backend-plugin-api';
import type { ValidateFunction } from 'ajv';
import type { ActionInfo } from '../../common/index.js';
import type { AnyTemplateAction, PullRequestChecker } from './types.js';

/**
 * Built-ins that only read, or only write the task's own workspace (restored from the last
 * snapshot on resume), or whose repeat finds what the first run made: safe to run again.
 */
const IDEMPOTENT_BUILTINS = /^(fetch:|fs:|debug:|catalog:(fetch|write|register)$|wait:)/;

const ajv = createAjv({ useDefaults: false });

/** Every action the scaffolder can run, by id; built-ins and those plugins register. */
export class ActionRegistry {
  private readonly actions = new Map<string, AnyTemplateAction>();
  private readonly validators = new Map<string, ValidateFunction>();
  /** Ids whose action is a placeholder that a real one may replace. */
  private readonly placeholders = new Set<string>();
  /** Providers for wait:pull-request; integrations add theirs. */
  readonly pullRequestCheckers: PullRequestChecker[] = [];
  private readonly listeners = new Set<() => void>();

  /** Calls `listener` after each action or checker registered (what a template may use changed). Returns its removal. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  registerPullRequestChecker(checker: PullRequestChecker): void {
    if (this.pullRequestCheckers.some((c) => c.id === checker.id)) throw new Error(`A pull request checker "${checker.id}" is already registered`);
    // Integrations' checkers first; the built-in local one last.
    this.pullRequestCheckers.unshift(checker);
    this.changed();
  }

  /** Whether a step of this action may simply run again after it was cut off (see TemplateAction.idempotent). */
  isIdempotent(id: string): boolean {
    const action = this.actions.get(id);
    if (!action) return false;
    return action.idempotent ?? IDEMPOTENT_BUILTINS.test(id);
  }

  /** The waiting actions' ids (wait:*), for registration checks. */
  isWaitAction(id: string): boolean {
    return Boolean(this.actions.get(id)?.beginWait);
  }

  /**
   * Registers an action. One that stands in for an integration Atrium lacks (a placeholder, see
   * saas.ts) gives way to the real action a plugin registers under its id; any other duplicate
   * is refused.
   */
  register(action: AnyTemplateAction, options: { placeholder?: boolean } = {}): void {
    if (!/^[A-Za-z0-9:_.-]+$/.test(action.id)) throw new Error(`Invalid action id "${action.id}"`);
    if (this.actions.has(action.id) && !this.placeholders.has(action.id)) throw new Error(`Scaffolder action "${action.id}" is already registered`);
    if (options.placeholder) this.placeholders.add(action.id);
    else this.placeholders.delete(action.id);
    this.validators.delete(action.id);
    if (action.schema?.input) this.validators.set(action.id, ajv.compile(action.schema.input));
    this.actions.set(action.id, action);
    this.changed();
  }

  get(id: string): AnyTemplateAction | undefined {
    return this.actions.get(id);
  }

  /** Field errors for an action's input, empty when valid or when the action has no schema. */
  validateInput(id: string, input: unknown): FieldError[] {
    const fn = this.validators.get(id);
    if (!fn || fn(input ?? {})) return [];
    return toFieldErrors(fn.errors, 'input');
  }

  list(): ActionInfo[] {
    return [...this.actions.values()]
      .map((a) => ({
        id: a.id,
        ...(a.description ? { description: a.description } : {}),
        ...(a.examples ? { examples: a.examples } : {}),
        schema: { ...(a.schema?.input ? { input: a.schema.input } : {}), ...(a.schema?.output ? { output: a.schema.output } : {}) },
        supportsDryRun: Boolean(a.supportsDryRun),
        idempotent: this.isIdempotent(a.id),
        ...(a.undo ? { undo: true } : {}),
        ...(a.beginWait ? { waits: true } : {}),
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
  }
}
