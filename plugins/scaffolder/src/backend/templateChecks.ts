import { createAjv, type FieldError } from '@atrium/backend-plugin-api';
import type { JsonObject, TaskSpec } from '../common/index.js';
import type { ActionRegistry } from './actions/registry.js';
import { parseDurationMs } from './tasks/durable.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

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
    if (step.action.startsWith('wait:') && registry.isWaitAction(step.action) && isObject(step.input)) {
      errors.push(...checkWaitInput(step.action, step.input, `spec.steps[${i}].input`, registry));
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

/** Whether a value holds a `${{ }}` or `{% %}` expression (known only when the step runs). */
export function hasExpression(value: unknown): boolean {
  return /\$\{\{|\{%/.test(JSON.stringify(value ?? null));
}

const schemaAjv = createAjv({ useDefaults: false });

/**
 * What a waiting step's written-out input gets wrong that its JSON Schema cannot say: durations
 * and times that do not parse, `wait:until` without exactly one of `until` and `duration`, an
 * approval naming no approvers, a callback schema that is not a JSON Schema, a pull request URL
 * no checker knows. Fields holding expressions are left to the run.
 */
export function checkWaitInput(action: string, input: Record<string, unknown>, at: string, registry: ActionRegistry): FieldError[] {
  const errors: FieldError[] = [];
  const literal = (key: string) => input[key] !== undefined && !hasExpression(input[key]);
  const duration = (key: string, timeAllowed: boolean) => {
    if (!literal(key)) return;
    const v = input[key];
    if (timeAllowed && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) {
      if (Number.isNaN(new Date(v).getTime())) errors.push({ path: `${at}.${key}`, message: `${JSON.stringify(v)} is not a valid time` });
      return;
    }
    if (parseDurationMs(v) === undefined) {
      errors.push({
        path: `${at}.${key}`,
        message: `must be seconds or an ISO 8601 duration such as PT10M${timeAllowed ? ' (or an ISO 8601 time)' : ''}, not ${JSON.stringify(v)}`,
      });
    }
  };
  const whole = !hasExpression(input);
  switch (action) {
    case 'wait:approval': {
      duration('expiresIn', true);
      duration('remindEvery', false);
      const named = (key: string) => {
        const v = input[key];
        return v !== undefined && !(Array.isArray(v) && v.length === 0);
      };
      if (whole && !named('groups') && !named('users') && !named('ownerOf'))
        errors.push({ path: at, message: 'names no approvers: give groups, users or ownerOf' });
      break;
    }
    case 'wait:callback':
      duration('expiresIn', true);
      if (literal('schema') && isObject(input['schema'])) {
        try {
          schemaAjv.compile(input['schema'] as JsonObject);
        } catch (e) {
          errors.push({ path: `${at}.schema`, message: `is not a valid JSON Schema: ${(e as Error).message}` });
        }
      }
      break;
    case 'wait:until':
      if (whole && (input['until'] === undefined) === (input['duration'] === undefined))
        errors.push({ path: at, message: 'give exactly one of until (an ISO 8601 time) and duration' });
      duration('duration', false);
      if (literal('until')) {
        const until = input['until'];
        if (typeof until !== 'string' || Number.isNaN(new Date(until).getTime()))
          errors.push({ path: `${at}.until`, message: `${JSON.stringify(until)} is not a valid ISO 8601 time` });
      }
      break;
    case 'wait:pull-request':
      duration('pollInterval', false);
      duration('maxPollInterval', false);
      duration('expiresIn', true);
      if (literal('url')) {
        const url = input['url'];
        if (typeof url === 'string' && !registry.pullRequestCheckers.some((c) => c.matches(url)))
          errors.push({ path: `${at}.url`, message: `no pull request checker knows ${url} (install the integration for its host)` });
      }
      break;
  }
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
