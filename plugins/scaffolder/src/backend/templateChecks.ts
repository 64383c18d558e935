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

/**
 * The 1-based line of `spec.steps[index].<field>` (or of the step itself) in a template's YAML
 * source, found by its layout: the document naming the template, its `steps:` list, the
 * index-th item, the field's key in it. Undefined when the layout is not recognised.
 */
export function lineOfStepField(source: string, templateName: string, index: number, field?: string): number | undefined {
  const lines = source.split(/\r?\n/);
  const docStarts = [0, ...lines.flatMap((l, i) => (/^---\s*$/.test(l) ? [i + 1] : []))];
  const nameRe = new RegExp(
    `\\bname:\\s*['"]?${templateName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]?\\s*[,}]?\\s*$|\\bname:\\s*['"]?${templateName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]?\\s*[,}]`,
  );
  for (let d = 0; d < docStarts.length; d++) {
    const from = docStarts[d]!;
    const to = d + 1 < docStarts.length ? docStarts[d + 1]! - 1 : lines.length;
    const doc = lines.slice(from, to);
    if (!doc.some((l) => /^kind:\s*Template\b/.test(l)) || !doc.some((l) => nameRe.test(l))) continue;
    const stepsAt = doc.findIndex((l) => /^\s+steps:\s*$/.test(l));
    if (stepsAt < 0) return undefined;
    const indent = /^(\s*)/.exec(doc[stepsAt]!)![1]!.length;
    const items: number[] = [];
    let itemIndent: number | undefined;
    for (let i = stepsAt + 1; i < doc.length; i++) {
      const l = doc[i]!;
      if (!l.trim() || /^\s*#/.test(l)) continue;
      const ind = /^(\s*)/.exec(l)![1]!.length;
      const isItem = /^\s*- /.test(l);
      if (ind <= indent && !(isItem && ind === indent)) break;
      if (isItem && (itemIndent === undefined || ind === itemIndent)) {
        itemIndent = ind;
        items.push(i);
      }
    }
    const start = items[index];
    if (start === undefined) return undefined;
    const end = items[index + 1] ?? doc.length;
    if (field) {
      for (let i = start; i < end; i++) if (new RegExp(`^\\s*(- )?${field}:`).test(doc[i]!)) return from + i + 1;
    }
    return from + start + 1;
  }
  return undefined;
}

/** Adds `file:line:` to step errors whose place in the template's source can be found. */
export function withSourceLines(
  errors: FieldError[],
  source: { file: string; text: string } | undefined,
  templateName: string,
): Array<FieldError & { file?: string; line?: number }> {
  if (!source) return errors;
  return errors.map((e) => {
    const m = /^spec\.steps\[(\d+)\](?:\.(\w+))?/.exec(e.path);
    const line = m
      ? lineOfStepField(source.text, templateName, Number(m[1]), m[2])
      : e.path === 'spec.timeout'
        ? source.text.split(/\r?\n/).findIndex((l) => /^\s+timeout:/.test(l)) + 1 || undefined
        : undefined;
    return line ? { ...e, file: source.file, line, message: `${source.file}:${line}: ${e.message}` } : e;
  });
}
