import { createAjv, toFieldErrors, formatFieldErrors } from '@atrium/backend-plugin-api';
import { parseEntityRef, type Entity } from '@atrium/catalog-model';
import type { ActionSpec, AutomationSpec, TriggerSpec } from '../common/index.js';
import { AUTOMATION_API_VERSION, AUTOMATION_KIND, BUILTIN_TRIGGERS } from '../common/index.js';
import { parseCron, type CronSchedule } from './cron.js';
import { compile, compileCondition, compileTemplate, ExpressionError, type Compiled, type Template } from './expression.js';

/** An action ready to render: its spec and its compiled placeholders. */
export interface CompiledAction {
  spec: ActionSpec;
  /** Renders the action's templated fields for one event. */
  templates: Record<string, Template>;
}

export interface Automation {
  id: string;
  title?: string;
  description?: string;
  /** Entity ref or `automations.rules[i]`. */
  source: string;
  spec: AutomationSpec;
  /** Valid and not switched off in its definition. */
  enabled: boolean;
  errors: string[];
  condition?: Compiled;
  actions: CompiledAction[];
  cron?: CronSchedule;
  timerField?: Compiled;
}

const ajv = createAjv({ useDefaults: false });
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
/** An annotation or label key: an optional DNS-name prefix and `/`, then a name of at most 63 characters. */
const metadataKey = {
  type: 'string',
  pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-_.A-Za-z0-9]{0,61}[A-Za-z0-9])?$',
  maxLength: 317,
};
const retry = { timeoutMs: { type: 'integer', minimum: 100, maximum: 120_000 }, maxAttempts: { type: 'integer', minimum: 1, maximum: 50 } };
const actionSchema = {
  type: 'object',
  required: ['type'],
  properties: { type: { enum: ['webhook', 'slack', 'teams', 'notify', 'email', 'emit', 'annotate', 'scaffolder'] } },
  allOf: [
    {
      if: { properties: { type: { const: 'webhook' } } },
      then: {
        required: ['url'],
        properties: {
          type: {},
          url: { type: 'string', minLength: 1 },
          method: { enum: ['POST', 'PUT', 'PATCH'] },
          body: {},
          headers: stringMap,
          secret: { type: 'string' },
          ...retry,
        },
        additionalProperties: false,
      },
    },
    {
      if: { properties: { type: { enum: ['slack', 'teams'] } } },
      then: {
        required: ['url', 'text'],
        properties: { type: {}, url: { type: 'string', minLength: 1 }, text: { type: 'string', minLength: 1 }, ...retry },
        additionalProperties: false,
      },
    },
    {
      if: { properties: { type: { const: 'notify' } } },
      then: {
        required: ['title'],
        properties: {
          type: {},
          recipients: { type: 'array', items: { type: 'string', minLength: 1 } },
          owner: { type: 'boolean' },
          title: { type: 'string', minLength: 1 },
          description: { type: 'string' },
          link: { type: 'string' },
          severity: { enum: ['low', 'normal', 'high', 'critical'] },
        },
        additionalProperties: false,
      },
    },
    {
      if: { properties: { type: { const: 'email' } } },
      then: {
        required: ['to', 'subject', 'text'],
        properties: {
          type: {},
          to: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          subject: { type: 'string', minLength: 1 },
          text: { type: 'string' },
        },
        additionalProperties: false,
      },
    },
    {
      if: { properties: { type: { const: 'emit' } } },
      then: { required: ['event'], properties: { type: {}, event: { type: 'string', minLength: 1 }, payload: {} }, additionalProperties: false },
    },
    {
      if: { properties: { type: { const: 'annotate' } } },
      then: {
        properties: {
          type: {},
          entityRef: { type: 'string', minLength: 1 },
          annotations: { ...stringMap, propertyNames: metadataKey },
          labels: { ...stringMap, propertyNames: metadataKey },
          removeAnnotations: { type: 'array', items: metadataKey },
          removeLabels: { type: 'array', items: metadataKey },
        },
        additionalProperties: false,
      },
    },
    {
      if: { properties: { type: { const: 'scaffolder' } } },
      then: {
        required: ['template'],
        properties: { type: {}, template: { type: 'string', minLength: 1 }, values: { type: 'object' } },
        additionalProperties: false,
      },
    },
  ],
};
const specSchema = {
  type: 'object',
  required: ['trigger', 'actions'],
  properties: {
    trigger: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { type: 'string', minLength: 1 },
        cron: { type: 'string' },
        field: { type: 'string' },
        offsetSeconds: { type: 'integer' },
        filter: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } },
      },
      additionalProperties: false,
    },
    condition: { type: 'string' },
    actions: { type: 'array', minItems: 1, maxItems: 20, items: actionSchema },
    enabled: { type: 'boolean' },
  },
  additionalProperties: false,
};
const validateSpec = ajv.compile(specSchema);

export interface DefinitionContext {
  /** Trigger types plugins registered, besides the built-in ones. */
  customTriggers: ReadonlySet<string>;
  /** Names under `automations.secrets`. */
  secrets: ReadonlySet<string>;
  /** Action types this backend can run (the rest are refused with a reason). */
  unavailableActions: ReadonlyMap<string, string>;
}

const ID = /^[a-z0-9][a-z0-9._-]{0,120}$/i;

/** Validates one definition; never throws: problems go to `errors` and leave it disabled. */
export function compileAutomation(
  input: { id: string; title?: string; description?: string; source: string; spec: unknown },
  ctx: DefinitionContext,
): Automation {
  const errors: string[] = [];
  const base = {
    id: input.id,
    source: input.source,
    ...(input.title ? { title: input.title } : {}),
    ...(input.description ? { description: input.description } : {}),
  };
  if (!ID.test(input.id)) errors.push(`id ${JSON.stringify(input.id)} is not valid (letters, digits, . _ -)`);
  if (!validateSpec(input.spec)) {
    const detail = formatFieldErrors(toFieldErrors(validateSpec.errors, 'spec'));
    return {
      ...base,
      spec: (input.spec ?? { trigger: { type: '?' }, actions: [] }) as unknown as AutomationSpec,
      enabled: false,
      errors: [...errors, detail],
      actions: [],
    };
  }
  const spec = input.spec as unknown as AutomationSpec;
  const trigger: TriggerSpec = spec.trigger;
  let cron: CronSchedule | undefined;
  let timerField: Compiled | undefined;
  if (!(trigger.type in BUILTIN_TRIGGERS) && !ctx.customTriggers.has(trigger.type)) {
    errors.push(
      `trigger type ${JSON.stringify(trigger.type)} is not known (built in: ${Object.keys(BUILTIN_TRIGGERS).join(', ')}${ctx.customTriggers.size ? `; registered: ${[...ctx.customTriggers].join(', ')}` : ''})`,
    );
  }
  if (trigger.type === 'schedule') {
    if (!trigger.cron) errors.push('a schedule trigger needs trigger.cron');
    else
      try {
        cron = parseCron(trigger.cron);
      } catch (e) {
        errors.push((e as Error).message);
      }
  }
  if (trigger.type === 'entity.timer') {
    if (!trigger.field) errors.push('an entity.timer trigger needs trigger.field (a CEL expression giving a date)');
    else
      try {
        timerField = compile(trigger.field, 'trigger.field');
      } catch (e) {
        errors.push((e as Error).message);
      }
  }
  let condition: Compiled | undefined;
  if (spec.condition !== undefined) {
    try {
      condition = compileCondition(spec.condition);
    } catch (e) {
      errors.push(e instanceof ExpressionError ? e.message : String(e));
    }
  }
  const actions: CompiledAction[] = [];
  spec.actions.forEach((action, i) => {
    const where = `actions[${i}]`;
    const unavailable = ctx.unavailableActions.get(action.type);
    if (unavailable) errors.push(`${where}: ${unavailable}`);
    const templates: Record<string, Template> = {};
    const template = (key: string, value: unknown) => {
      try {
        templates[key] = compileTemplate(value, `${where}.${key}`);
      } catch (e) {
        errors.push(`${where}: ${(e as Error).message}`);
      }
    };
    switch (action.type) {
      case 'webhook': {
        checkUrl(action.url, where, errors);
        template('url', action.url);
        template('body', action.body ?? '{{ event }}');
        template('headers', action.headers ?? {});
        if (action.secret !== undefined && !ctx.secrets.has(action.secret))
          errors.push(`${where}: secret ${JSON.stringify(action.secret)} is not under automations.secrets`);
        break;
      }
      case 'slack':
      case 'teams':
        checkUrl(action.url, where, errors);
        template('url', action.url);
        template('text', action.text);
        break;
      case 'notify':
        if (!action.owner && !(action.recipients?.length ?? 0)) errors.push(`${where}: notify needs recipients or owner: true`);
        template('title', action.title);
        template('description', action.description ?? '');
        template('link', action.link ?? '');
        template('recipients', action.recipients ?? []);
        break;
      case 'email':
        template('to', action.to);
        template('subject', action.subject);
        template('text', action.text);
        break;
      case 'emit':
        template('payload', action.payload ?? {});
        break;
      case 'annotate':
        if (![action.annotations, action.labels].some((m) => m && Object.keys(m).length) && !action.removeAnnotations?.length && !action.removeLabels?.length)
          errors.push(`${where}: annotate changes nothing: give annotations, labels, removeAnnotations or removeLabels`);
        if (action.entityRef !== undefined) template('entityRef', action.entityRef);
        template('annotations', action.annotations ?? {});
        template('labels', action.labels ?? {});
        template('removeAnnotations', action.removeAnnotations ?? []);
        template('removeLabels', action.removeLabels ?? []);
        break;
      case 'scaffolder':
        if (action.template.includes('{{')) errors.push(`${where}: template is a fixed Template ref; placeholders belong in values`);
        else
          try {
            parseEntityRef(action.template, { defaultKind: 'template' });
          } catch (e) {
            errors.push(`${where}: template ${JSON.stringify(action.template)} is not an entity ref (${(e as Error).message})`);
          }
        template('values', action.values ?? {});
        break;
    }
    actions.push({ spec: action, templates });
  });
  return {
    ...base,
    spec,
    enabled: errors.length === 0 && spec.enabled !== false,
    errors,
    actions,
    ...(condition ? { condition } : {}),
    ...(cron ? { cron } : {}),
    ...(timerField ? { timerField } : {}),
  };
}

function checkUrl(url: string, where: string, errors: string[]): void {
  if (url.includes('{{')) {
    // The scheme and host must be fixed; only the path may vary.
    const head = url.slice(0, url.indexOf('{{'));
    if (!/^https?:\/\/[^/]+\//i.test(head)) errors.push(`${where}: url placeholders may appear only in the path`);
    return;
  }
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') errors.push(`${where}: url must be http(s), not ${u.protocol}`);
  } catch {
    errors.push(`${where}: url ${JSON.stringify(url)} is not a valid URL`);
  }
}

/** The id of an Automation entity: its name, prefixed with its namespace outside `default`. */
export function automationIdOf(entity: Entity): string {
  const ns = entity.metadata.namespace ?? 'default';
  return ns === 'default' ? entity.metadata.name : `${ns}.${entity.metadata.name}`;
}

export function isAutomationEntity(entity: Entity): boolean {
  return entity.kind === AUTOMATION_KIND && entity.apiVersion === AUTOMATION_API_VERSION;
}

/** All definitions: Automation entities and `automations.rules`; config wins on a shared id. */
export function compileAll(entities: Entity[], rules: Array<Record<string, unknown>>, ctx: DefinitionContext): Automation[] {
  const out = new Map<string, Automation>();
  rules.forEach((rule, i) => {
    const { id, title, description, ...spec } = rule as { id?: unknown; title?: unknown; description?: unknown };
    const source = `automations.rules[${i}]`;
    const a = compileAutomation(
      {
        id: typeof id === 'string' ? id : `rule-${i}`,
        source,
        spec,
        ...(typeof title === 'string' ? { title } : {}),
        ...(typeof description === 'string' ? { description } : {}),
      },
      ctx,
    );
    if (typeof id !== 'string') a.errors.push(`${source} needs an id`);
    if (out.has(a.id)) {
      a.errors.push(`duplicate id ${a.id}`);
      a.enabled = false;
      out.set(`${a.id}#${i}`, a);
    } else out.set(a.id, a);
  });
  for (const entity of entities) {
    const id = automationIdOf(entity);
    if (out.has(id)) continue;
    const ref = `automation:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`;
    out.set(
      id,
      compileAutomation(
        {
          id,
          source: ref,
          spec: entity.spec,
          ...(typeof entity.metadata.title === 'string' ? { title: entity.metadata.title } : {}),
          ...(entity.metadata.description ? { description: entity.metadata.description } : {}),
        },
        ctx,
      ),
    );
  }
  return [...out.values()];
}
