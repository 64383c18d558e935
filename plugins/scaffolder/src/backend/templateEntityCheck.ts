import type { Logger } from '@atrium/backend-plugin-api';
import type { Entity } from '@atrium/catalog-model';
import type { CatalogService, EntityCheckProblem } from '@atrium/plugin-catalog/common';
import type { TaskSpec } from '../common/index.js';
import type { ActionRegistry } from './actions/registry.js';
import { checkTemplateSteps, hasExpression } from './templateChecks.js';
import { buildTaskSpec, TEMPLATE_API_VERSION, type TemplateLike } from './templates.js';

/** The id the scaffolder's check has in the catalog (and in its logs). */
export const TEMPLATE_CHECK_ID = 'scaffolder.template-steps';

/** `input.files.0.from` (ajv's path) → `input.files[0].from` (the catalog's field notation). */
const fieldPath = (path: string) => path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');

/**
 * What keeps a registered Template's steps from running, whatever values the form gets: the
 * structural checks a run makes (reference cycles, unknown wait actions, bad durations, wait
 * inputs), an action no plugin provides, and written-out input (no expressions) that fails the
 * action's schema. Each problem names its step and field (`spec.steps[2].input.url`), so the
 * catalog shows it at the line in the file. Templates of older apiVersions are refused by name
 * when run, and not looked at here.
 */
export function templateStepProblems(entity: Entity, registry: ActionRegistry): EntityCheckProblem[] {
  if (entity.apiVersion !== TEMPLATE_API_VERSION) return [];
  const template = entity as unknown as TemplateLike;
  if (!Array.isArray(template.spec?.steps)) return [];
  let spec: TaskSpec;
  try {
    spec = buildTaskSpec(template, {}, { ref: 'user:default/template-check' });
  } catch (e) {
    return [{ field: 'spec.steps', message: (e as Error).message }];
  }
  const problems: Array<{ path: string; message: string }> = [...checkTemplateSteps(spec, registry)];
  spec.steps.forEach((step, i) => {
    const action = registry.get(step.action);
    if (!action) {
      // Unknown wait:* actions are reported by checkTemplateSteps.
      if (!step.action.startsWith('wait:')) problems.push({ path: `spec.steps[${i}].action`, message: `unknown action "${step.action}"` });
      return;
    }
    if (step.input === undefined || hasExpression(step.input)) return;
    for (const e of registry.validateInput(step.action, JSON.parse(JSON.stringify(step.input)))) {
      problems.push({ path: `spec.steps[${i}].${fieldPath(e.path)}`, message: e.message });
    }
  });
  return problems.map((p) => {
    const index = /^spec\.steps\[(\d+)\]/.exec(p.path);
    const step = index ? spec.steps[Number(index[1])] : undefined;
    if (!index || !step || p.message.includes(`step "${step.id}"`)) return { field: p.path, message: p.message };
    const within = p.path.slice(index[0].length + 1);
    return { field: p.path, message: `Step "${step.id}"${within ? `, ${within}` : ''}: ${p.message}` };
  });
}

/**
 * Adds the Template check to the catalog's processing, and has the catalog check again (read the
 * locations holding Templates) whenever an action or pull request checker is registered later.
 * Call it once the plugins that register actions have started. Returns the removal.
 */
export async function registerTemplateCheck(catalog: CatalogService, registry: ActionRegistry, logger: Logger): Promise<() => void> {
  const registration = await catalog.registerEntityCheck({
    id: TEMPLATE_CHECK_ID,
    kinds: ['Template'],
    check: (entity) => templateStepProblems(entity, registry),
  });
  let timer: NodeJS.Timeout | undefined;
  const off = registry.onChange(() => {
    if (timer) return;
    // A plugin registering several actions asks for one re-read.
    timer = setTimeout(() => {
      timer = undefined;
      registration.recheck().catch((e: unknown) => logger.warn({ err: e }, 'scaffolder: could not have the catalog check templates again'));
    }, 1000);
    timer.unref();
  });
  return () => {
    off();
    if (timer) clearTimeout(timer);
    registration.remove();
  };
}
