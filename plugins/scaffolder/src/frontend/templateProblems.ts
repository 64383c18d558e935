import { ANNOTATION_LOCATION, parseLocationRef, stringifyEntityRef, type Entity, type EntityStatusItem } from '@atrium/catalog-model';
import { apiFetch, buildApiUrl } from '@atrium/frontend-plugin-api';
import { ENTITY_STATUS_PROCESSING_TYPE } from '@atrium/plugin-catalog/common';
import { useQuery } from '@tanstack/react-query';

/** A problem that keeps a template from running: what, and where in its file (line, field) when known. */
export interface TemplateProblem {
  message: string;
  field?: string;
  file?: string;
  line?: number;
}

/**
 * Whether the stored template can be run, as far as the catalog's checks tell (the scaffolder
 * adds its step checks to them; a run of a template they flag is refused by POST /v2/tasks):
 * - `runnable`: no processing errors, or only those of a newer definition the catalog refused
 *   (the stored version, which runs, passes the checks);
 * - `blocked`: the stored version has these problems, so a run is refused until it is fixed;
 * - `unknown`: the catalog reported problems but could not be asked whether they are the stored
 *   version's (a run may still be refused: the server decides);
 * - `checking`: still asking.
 */
export type TemplateRunCheck =
  { state: 'checking' } | { state: 'runnable' } | { state: 'blocked'; problems: TemplateProblem[] } | { state: 'unknown'; reported: TemplateProblem[] };

/** The template entity's processing-error status items. */
export function processingErrorsOf(entity: Entity): EntityStatusItem[] {
  return (entity.status?.items ?? []).filter((item) => item.type === ENTITY_STATUS_PROCESSING_TYPE && item.level === 'error');
}

function problemOfItem(item: EntityStatusItem): TemplateProblem {
  const error: NonNullable<EntityStatusItem['error']> = item.error ?? { name: '', message: item.message };
  const text = (key: string) => (typeof error[key] === 'string' && error[key] !== '' ? (error[key] as string) : undefined);
  const file = text('file');
  const field = text('field');
  const line = error['line'];
  return {
    message: typeof error.message === 'string' && error.message !== '' ? error.message : item.message,
    ...(file ? { file } : {}),
    ...(typeof line === 'number' ? { line } : {}),
    ...(field ? { field } : {}),
  };
}

/**
 * The run check from the status items and what POST /catalog/validate-entity said of the stored
 * version (undefined: could not ask). Each problem of the stored version takes its file and line
 * from the status item with the same field and message. (The catalog's entity page makes the
 * same judgement for its banner, in plugins/catalog/src/frontend/entity/shownVersion.ts.)
 */
export function judgeTemplate(
  items: readonly EntityStatusItem[],
  validation: ReadonlyArray<{ message: string; field?: string }> | undefined,
): TemplateRunCheck {
  if (items.length === 0) return { state: 'runnable' };
  const reported = items.map(problemOfItem);
  if (validation === undefined) return { state: 'unknown', reported };
  if (validation.length === 0) return { state: 'runnable' };
  const unmatched = [...reported];
  const problems = validation.map((v): TemplateProblem => {
    const at = unmatched.findIndex((p) => (p.field ?? '') === (v.field ?? '') && (p.message === v.message || p.message.startsWith(v.message)));
    const [found] = at >= 0 ? unmatched.splice(at, 1) : [];
    if (found) return found;
    return { message: v.message, ...(v.field ? { field: v.field } : {}) };
  });
  return { state: 'blocked', problems };
}

/** What POST /catalog/validate-entity says of the stored template: its errors (empty: it passes); undefined when it cannot be asked. */
async function validateStored(entity: Entity, signal: AbortSignal): Promise<Array<{ message: string; field?: string }> | undefined> {
  const location = entity.metadata.annotations?.[ANNOTATION_LOCATION];
  if (!location) return undefined;
  try {
    parseLocationRef(location);
  } catch {
    return undefined;
  }
  const { relations: _relations, status: _status, ...descriptor } = entity;
  const { uid: _uid, etag: _etag, ...metadata } = descriptor.metadata;
  // Not apiFetch: the 400 answer's `errors` are the point, and apiFetch keeps only a message.
  const response = await fetch(buildApiUrl('/catalog/validate-entity'), {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ entity: { ...descriptor, metadata }, location }),
    signal,
  });
  if (response.ok) return [];
  if (response.status !== 400) return undefined;
  const body = (await response.json().catch(() => undefined)) as { errors?: unknown } | undefined;
  if (!Array.isArray(body?.errors)) return undefined;
  return body.errors
    .filter((e): e is { message: string; field?: unknown } => typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string')
    .map((e) => ({ message: e.message, ...(typeof e.field === 'string' && e.field ? { field: e.field } : {}) }));
}

/** The run check of a template entity (`checking` while it or the answer loads). Asks the catalog only when the template has processing errors. */
export function useTemplateRunCheck(entity: Entity | undefined): TemplateRunCheck {
  const items = entity ? processingErrorsOf(entity) : [];
  const query = useQuery({
    queryKey: ['scaffolder', 'template-run-check', entity ? stringifyEntityRef(entity) : '', entity?.metadata.etag ?? '', items.length],
    queryFn: ({ signal }) => (entity ? validateStored(entity, signal).then((v) => v ?? null) : null),
    enabled: Boolean(entity) && items.length > 0,
    retry: false,
    staleTime: 60_000,
  });
  if (!entity) return { state: 'checking' };
  if (items.length === 0) return { state: 'runnable' };
  if (query.isPending) return { state: 'checking' };
  return judgeTemplate(items, query.data ?? undefined);
}

/**
 * The Template entity of a form page, from the catalog: read again whenever the page opens (a
 * template fixed and refreshed since must not be refused from the cache) and while it is open.
 */
export function useTemplateEntity(namespace: string, name: string) {
  return useQuery({
    refetchOnMount: 'always',
    refetchInterval: 10_000,
    queryKey: ['scaffolder', 'template-entity', namespace, name],
    queryFn: ({ signal }) => apiFetch<Entity>(`/catalog/entities/by-name/template/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`, { signal }),
  });
}
