import { createAjv, toFieldErrors, type FieldError } from '@atrium/backend-plugin-api';
import type { ValidateFunction } from 'ajv';
import type { ActionInfo } from '../../common/index.js';
import type { AnyTemplateAction } from './types.js';

const ajv = createAjv({ useDefaults: false });

/** Every action the scaffolder can run, by id; built-ins and those plugins register. */
export class ActionRegistry {
  private readonly actions = new Map<string, AnyTemplateAction>();
  private readonly validators = new Map<string, ValidateFunction>();

  register(action: AnyTemplateAction): void {
    if (!/^[A-Za-z0-9:_.-]+$/.test(action.id)) throw new Error(`Invalid action id "${action.id}"`);
    if (this.actions.has(action.id)) throw new Error(`Scaffolder action "${action.id}" is already registered`);
    if (action.schema?.input) this.validators.set(action.id, ajv.compile(action.schema.input));
    this.actions.set(action.id, action);
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
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
  }
}
