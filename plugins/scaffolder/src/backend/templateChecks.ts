import type { FieldError } from '@atrium/backend-plugin-api';
import type { TaskSpec } from '../common/index.js';
import type { ActionRegistry } from './actions/registry.js';
import { parseDurationMs } from './tasks/durable.js';

/** `steps.<id>` and `steps['<id>']` / `steps["<id>"]` inside `${{ }}` and `{% %}` expressions. */
function referencedSteps(value: unknown): string[] {
  const text = JSON.stringify(value ?? null);
  const out = new Set<string>();
  for (const expr of text.match(/\$\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g) ?? []) {
    for (const m of expr.matchAll(/\bsteps\s*(?:\.\s*([A-Za-z0-9_-]+)|\[\s*\\?['"]([^'"\\]+)\\?['"]\s*\])/g)) out.add((m[1] ?? m[2])!);
  }
  return [...out];
}

/**
 * Problems a template's steps have whatever the form's values: a step that reads its own output
 * or a later step's (a reference cycle: it would run before what it needs), a reference to no
 * step, an unknown waiting action, a timeout that is not a duration. Paths name the field
 * (`steps[2].input`) so the caller can point at the file and line.
 */
export function checkTemplateSteps(spec: Pick<TaskSpec, 'steps' | 'timeout'>, registry: ActionRegistry): FieldError[] {
  const errors: FieldError[] = [];
  const position = new Map(spec.steps.map((s, i) => [s.id, i]));
  if (spec.timeout !== undefined && parseDurationMs(spec.timeout) === undefined) {
    errors.push({ path: 'spec.timeout', message: `must be seconds or an ISO 8601 duration such as PT30M, not ${JSON.stringify(spec.timeout)}` });
  }
  spec.steps.forEach((step, i) => {
    if (step.action.startsWith('wait:') && !registry.isWaitAction(step.action)) {
      errors.push({
        path: `spec.steps[${i}].action`,
        message: `unknown wait action "${step.action}" (known: ${['wait:approval', 'wait:callback', 'wait:until', 'wait:pull-request'].join(', ')})`,
      });
    }
    if (step.timeout !== undefined && parseDurationMs(step.timeout) === undefined) {
      errors.push({ path: `spec.steps[${i}].timeout`, message: `must be seconds or an ISO 8601 duration such as PT10M, not ${JSON.stringify(step.timeout)}` });
    }
    for (const [field, value] of [
      ['input', step.input],
      ['if', step.if],
      ['each', step.each],
    ] as const) {
      for (const ref of referencedSteps(value)) {
        const at = position.get(ref);
        const where = `spec.steps[${i}].${field}`;
        if (at === undefined) errors.push({ path: where, message: `step "${step.id}" refers to steps.${ref}, and there is no step "${ref}"` });
        else if (at === i) errors.push({ path: where, message: `step "${step.id}" refers to its own output (steps.${ref}): a reference cycle` });
        else if (at > i)
          errors.push({ path: where, message: `step "${step.id}" refers to steps.${ref}, which runs after it (step ${at + 1}): a reference cycle` });
      }
    }
  });
  return errors;
}
