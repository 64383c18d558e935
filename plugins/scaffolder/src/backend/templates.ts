import { createAjv, InputError, NotFoundError, toFieldErrors, type FieldError } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import type { CatalogService } from '@atrium/plugin-catalog/common';
import { loadAll } from 'js-yaml';
import type { ApprovalState, JsonObject, ParameterSchemaResponse, TaskSpec, TaskStep } from '../common/index.js';

export const TEMPLATE_API_VERSION = 'scaffolder.backstage.io/v1beta3';
export const LOCATION_ANNOTATION = 'backstage.io/managed-by-location';
export const ORIGIN_LOCATION_ANNOTATION = 'backstage.io/managed-by-origin-location';

export interface TemplateLike {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; title?: string; description?: string; annotations?: Record<string, string>; [k: string]: unknown };
  spec: {
    parameters?: JsonObject | JsonObject[];
    steps?: Array<JsonObject>;
    output?: JsonObject;
    secrets?: { schema?: JsonObject };
    presentation?: JsonObject;
    approval?: unknown;
    entityFilter?: JsonObject | JsonObject[];
    [k: string]: unknown;
  };
}

/** Checks the envelope the scaffolder can run: v1beta3 Template with steps. */
export function assertRunnableTemplate(value: unknown): TemplateLike {
  const t = value as TemplateLike;
  if (!t || typeof t !== 'object' || t.kind !== 'Template') throw new InputError('Not a Template entity');
  if (t.apiVersion !== TEMPLATE_API_VERSION) {
    throw new InputError(
      `Template ${t.metadata?.name ?? ''} has apiVersion ${t.apiVersion}; only ${TEMPLATE_API_VERSION} templates can run (older v1beta2/v1alpha1 templates must be migrated)`,
    );
  }
  if (!t.spec || !Array.isArray(t.spec.steps)) throw new InputError('Template spec.steps must be an array');
  return t;
}

export async function loadTemplate(catalog: CatalogService, ref: string): Promise<TemplateLike> {
  let normalized: string;
  try {
    normalized = stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'template', defaultNamespace: 'default' }));
  } catch (e) {
    throw new InputError(`Invalid templateRef: ${(e as Error).message}`);
  }
  const entity = (await catalog.getEntityByRef(normalized)) as Entity | undefined;
  if (!entity || entity.kind.toLowerCase() !== 'template') throw new NotFoundError(`Template ${normalized} not found`);
  return assertRunnableTemplate(entity);
}

export function templateRefOf(t: TemplateLike): string {
  return stringifyEntityRef({ kind: 'template', namespace: t.metadata.namespace ?? 'default', name: t.metadata.name });
}

export function parameterPages(t: TemplateLike): JsonObject[] {
  const p = t.spec.parameters;
  if (!p) return [];
  return Array.isArray(p) ? p : [p];
}

export function parameterSchema(t: TemplateLike): ParameterSchemaResponse {
  const approval = approvalOf(t);
  return {
    title: t.metadata.title ?? t.metadata.name,
    ...(t.metadata.description ? { description: t.metadata.description } : {}),
    ...(t.spec.presentation ? { presentation: t.spec.presentation } : {}),
    ...(t.spec['ui:options'] ? { 'ui:options': t.spec['ui:options'] as JsonObject } : {}),
    steps: parameterPages(t).map((page) => {
      const { title, description, ...schema } = page as { title?: string; description?: string };
      return {
        title: title ?? 'Please enter the following information',
        ...(description ? { description } : {}),
        schema: { ...schema, ...(title ? { title } : {}) },
      };
    }),
    ...(approval ? { approval: { approvers: approval.approvers } } : {}),
    ...(t.spec.entityFilter ? { entityFilter: t.spec.entityFilter } : {}),
  };
}

const ajv = createAjv({ useDefaults: false });

/** Validates values against every parameter page (ui:* keys are ignored); field errors as Backstage reports them. */
export function validateValues(t: TemplateLike, values: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  for (const page of parameterPages(t)) {
    const schema = { type: 'object', ...withoutSecretFields(page) };
    let fn;
    try {
      fn = ajv.compile(schema);
    } catch (e) {
      errors.push({ path: 'template.spec.parameters', message: `invalid JSON Schema: ${(e as Error).message}` });
      continue;
    }
    if (!fn(values)) errors.push(...toFieldErrors(fn.errors, 'values'));
  }
  return errors;
}

/** Secret fields (ui:field Secret) are sent as task secrets, so values are validated without them. */
function withoutSecretFields(page: JsonObject): JsonObject {
  const props = page['properties'] as Record<string, JsonObject> | undefined;
  if (!props) return page;
  const secret = Object.keys(props).filter((k) => props[k]?.['ui:field'] === 'Secret');
  if (!secret.length) return page;
  const properties = Object.fromEntries(Object.entries(props).filter(([k]) => !secret.includes(k)));
  const required = Array.isArray(page['required']) ? (page['required'] as string[]).filter((r) => !secret.includes(r)) : undefined;
  return { ...page, properties, ...(required ? { required } : {}) };
}

export function validateSecrets(t: TemplateLike, secrets: Record<string, string>): FieldError[] {
  const schema = t.spec.secrets?.schema;
  if (!schema) return [];
  const fn = ajv.compile({ type: 'object', ...schema });
  return fn(secrets) ? [] : toFieldErrors(fn.errors, 'secrets');
}

/** `spec.approval`: `{ groups: [...] }`, `{ approvers: [...] }` or a plain list of entity refs. */
export function approvalOf(t: TemplateLike): ApprovalState | undefined {
  const raw = t.spec.approval as unknown;
  let refs: unknown[] = [];
  let allowSelfApproval = false;
  if (Array.isArray(raw)) refs = raw;
  else if (raw && typeof raw === 'object') {
    const o = raw as { groups?: unknown[]; approvers?: unknown[]; allowSelfApproval?: unknown };
    refs = [...(Array.isArray(o.groups) ? o.groups : []), ...(Array.isArray(o.approvers) ? o.approvers : [])];
    allowSelfApproval = o.allowSelfApproval === true;
  }
  const approvers = refs
    .filter((r): r is string => typeof r === 'string' && r.length > 0)
    .map((r) => stringifyEntityRef(parseEntityRef(r, { defaultKind: 'group', defaultNamespace: 'default' })));
  return approvers.length ? { approvers, ...(allowSelfApproval ? { allowSelfApproval } : {}) } : undefined;
}

export function buildTaskSpec(t: TemplateLike, values: JsonObject, user: { ref: string; entity?: JsonObject }): TaskSpec {
  const steps: TaskStep[] = (t.spec.steps ?? []).map((s, i) => {
    const step = s as { id?: string; name?: string; action: string; input?: JsonObject; if?: string | boolean; each?: unknown; timeout?: number | string };
    return {
      id: step.id ?? `step-${i + 1}`,
      name: step.name ?? step.action,
      action: step.action,
      ...(step.input ? { input: step.input } : {}),
      ...(step.if !== undefined ? { if: step.if } : {}),
      ...(step.each !== undefined ? { each: step.each } : {}),
      ...(step.timeout !== undefined ? { timeout: step.timeout } : {}),
    };
  });
  const ids = new Set<string>();
  for (const s of steps) {
    if (typeof s.action !== 'string' || !s.action) throw new InputError(`Step "${s.id}" has no action`);
    if (ids.has(s.id)) throw new InputError(`Two steps share the id "${s.id}"`);
    ids.add(s.id);
  }
  const location = t.metadata.annotations?.[LOCATION_ANNOTATION];
  return {
    apiVersion: TEMPLATE_API_VERSION,
    steps,
    output: t.spec.output ?? {},
    parameters: values,
    ...(typeof t.spec['timeout'] === 'number' || typeof t.spec['timeout'] === 'string' ? { timeout: t.spec['timeout'] } : {}),
    user: { ref: user.ref, ...(user.entity ? { entity: user.entity } : {}) },
    templateInfo: {
      entityRef: templateRefOf(t),
      ...(location ? { baseUrl: location } : {}),
      entity: {
        metadata: {
          name: t.metadata.name,
          ...(t.metadata.title ? { title: t.metadata.title } : {}),
          ...(t.metadata.description ? { description: t.metadata.description } : {}),
        },
      },
    },
  };
}

/**
 * The catalog stores entities as jsonb, which does not keep key order, so form fields would
 * come back shuffled. When the template's source file can be read, each page gets a
 * `ui:order` with the order the author wrote (unless it has one).
 */
export async function withSourceFieldOrder(t: TemplateLike, readSource: (locationRef: string) => Promise<string | undefined>): Promise<TemplateLike> {
  const location = t.metadata.annotations?.[LOCATION_ANNOTATION];
  if (!location) return t;
  let text: string | undefined;
  try {
    text = await readSource(location);
  } catch {
    return t;
  }
  if (!text) return t;
  let source: TemplateLike | undefined;
  try {
    source = (loadAll(text) as TemplateLike[]).find((d) => d?.kind === 'Template' && d.metadata?.name === t.metadata.name);
  } catch {
    return t;
  }
  if (!source) return t;
  const sourcePages = parameterPages(source);
  const pages = parameterPages(t).map((page, i) => {
    const props = sourcePages[i]?.['properties'];
    if (page['ui:order'] || !props || typeof props !== 'object') return page;
    return { ...page, 'ui:order': [...Object.keys(props), '*'] };
  });
  return { ...t, spec: { ...t.spec, parameters: pages } };
}
