import { InputError } from '@atrium/backend-plugin-api';
import type { JsonObject, TaskSpec } from '../../common/index.js';
import type { ActionRegistry } from '../actions/registry.js';
import { preflight, StepValidationError } from '../engine.js';
import type { TaskRunner } from '../runner.js';
import { checkTemplateSteps, withSourceLines } from '../templateChecks.js';
import { buildTaskSpec, LOCATION_ANNOTATION, templateRefOf, validateSecrets, validateValues, type TemplateLike } from '../templates.js';

/**
 * The template's steps make sense whatever the values (no reference cycle, known wait actions,
 * durations that parse); otherwise one 400 whose errors name the template file and line when
 * its source can be read.
 */
export async function assertTemplateStructure(template: TemplateLike, registry: ActionRegistry, runner: Pick<TaskRunner, 'readTemplateSource'>): Promise<void> {
  const errors = checkTemplateSteps(buildTaskSpec(template, {}, { ref: 'user:default/check' }), registry);
  if (!errors.length) return;
  const location = template.metadata.annotations?.[LOCATION_ANNOTATION];
  const text = location ? await runner.readTemplateSource(location).catch(() => undefined) : undefined;
  const located = withSourceLines(errors, text && location ? { file: location.replace(/^file:/, ''), text } : undefined, template.metadata.name);
  throw new InputError(`Invalid template ${templateRefOf(template)}: ${located.map((e) => (e.line ? e.message : `${e.path} ${e.message}`)).join('; ')}`, {
    errors: located,
  });
}

/**
 * The spec a run of `template` with these values would execute, checked before anything runs:
 * parameters and secrets against the template's schema, then every step's action and input.
 * Problems come back as one 400 InputError listing every field, as Backstage's does.
 */
export function checkedTaskSpec(
  template: TemplateLike,
  values: JsonObject,
  secrets: Record<string, string>,
  registry: ActionRegistry,
  userRef: string,
): TaskSpec {
  const errors = [...validateValues(template, values), ...validateSecrets(template, secrets)];
  if (errors.length) throw new InputError(`Invalid template parameters: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
  const spec = buildTaskSpec(template, values, { ref: userRef });
  checkSteps(spec, registry, secrets);
  return spec;
}

/** Every step's action exists and its input is valid; otherwise one 400 with every problem. */
export function checkSteps(spec: TaskSpec, registry: ActionRegistry, secrets: Record<string, string>): void {
  const structural = checkTemplateSteps(spec, registry);
  if (structural.length) throw new InputError(`Invalid template steps: ${structural.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors: structural });
  try {
    preflight(spec, registry, secrets);
  } catch (error) {
    if (error instanceof StepValidationError) throw new InputError(error.message, { errors: error.errors });
    throw error;
  }
}
