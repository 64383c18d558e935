import { ANNOTATION_LOCATION, parseLocationRef, stringifyEntityRef, type Entity, type EntityStatusItem } from '@atrium/catalog-model';
import { buildApiUrl } from '@atrium/frontend-plugin-api';
import { ENTITY_STATUS_PROCESSING_TYPE } from '@atrium/plugin-catalog/common';
import { useQuery } from '@tanstack/react-query';

/** One problem as the entity page lists it: what is wrong, and where (file, line, field) when known. */
export interface ProcessingProblem {
  message: string;
  field?: string;
  file?: string;
  line?: number;
}

/**
 * What the processing errors on an entity are about. The catalog stores both kinds as the same
 * status items, so the page asks the catalog to check the version it shows
 * (POST /validate-entity, which runs the same validation and plugin checks as a read):
 * - `flagged`: the version shown is stored, but checks (a Template's steps, say) found
 *   `problems` in it; `refused` are errors of a newer definition the catalog refused, if any;
 * - `refused`: the version shown passes; the errors are those of a newer definition the catalog
 *   refused, so what is shown is the last version it accepted;
 * - `unknown`: the check could not be made (still asking, not allowed, no location): the errors
 *   are shown as the catalog reported them, without saying which case it is.
 */
export type ShownVersionVerdict =
  | { state: 'flagged'; problems: ProcessingProblem[]; refused: ProcessingProblem[] }
  | { state: 'refused'; refused: ProcessingProblem[] }
  | { state: 'unknown'; reported: ProcessingProblem[] };

/** An error `POST /validate-entity` answers with (Backstage's shape). */
export interface EntityValidationError {
  name?: string;
  message: string;
  field?: string;
}

/** The entity's processing-error status items (Backstage's `backstage.io/catalog-processing`, level error). */
export function processingErrorItems(entity: Entity): EntityStatusItem[] {
  return (entity.status?.items ?? []).filter((item) => item.type === ENTITY_STATUS_PROCESSING_TYPE && item.level === 'error');
}

/** A status item as a problem: the error's own message, file, line and field when it has them. */
export function problemOfItem(item: EntityStatusItem): ProcessingProblem {
  const error: NonNullable<EntityStatusItem['error']> = item.error ?? { name: '', message: item.message };
  const text = (key: string) => (typeof error[key] === 'string' && error[key] !== '' ? (error[key] as string) : undefined);
  const rawLine = error['line'];
  const line = typeof rawLine === 'number' ? rawLine : undefined;
  const file = text('file');
  const field = text('field');
  return {
    message: typeof error.message === 'string' && error.message !== '' ? error.message : item.message,
    ...(file ? { file } : {}),
    ...(line !== undefined ? { line } : {}),
    ...(field ? { field } : {}),
  };
}

/**
 * The verdict, given the status items and what the catalog said of the version shown
 * (undefined: not known). A problem of the version shown takes its file and line from the
 * status item with the same field and message (the status items carry the place of the read;
 * the validation does not); the status items no problem matches are a refused newer version's.
 */
export function judgeShownVersion(items: readonly EntityStatusItem[], validation: readonly EntityValidationError[] | undefined): ShownVersionVerdict {
  const reported = items.map(problemOfItem);
  if (validation === undefined) return { state: 'unknown', reported };
  const unmatched = [...reported];
  const problems = validation.map((v): ProcessingProblem => {
    const same = (p: ProcessingProblem) => (p.field ?? '') === (v.field ?? '') && (p.message === v.message || p.message.startsWith(v.message));
    const at = unmatched.findIndex(same);
    const [found] = at >= 0 ? unmatched.splice(at, 1) : [];
    if (found) return found;
    return { message: v.message, ...(v.field ? { field: v.field } : {}) };
  });
  if (problems.length === 0) return { state: 'refused', refused: reported };
  return { state: 'flagged', problems, refused: unmatched };
}

/** The entity as its descriptor would give it: without what the catalog adds (relations, status, uid, etag). */
export function asDescriptor(entity: Entity): Entity {
  const { relations: _relations, status: _status, ...rest } = entity;
  const { uid: _uid, etag: _etag, ...metadata } = rest.metadata;
  return { ...rest, metadata };
}

/**
 * Asks the catalog whether the version shown has problems: the errors `POST /validate-entity`
 * answers with (empty when it passes). Undefined when it cannot tell (not allowed, no usable
 * location annotation, any other failure).
 */
export async function validateShownVersion(entity: Entity, signal?: AbortSignal): Promise<EntityValidationError[] | undefined> {
  const location = entity.metadata.annotations?.[ANNOTATION_LOCATION];
  if (!location) return undefined;
  try {
    parseLocationRef(location);
  } catch {
    return undefined;
  }
  // Not apiFetch: its errors keep only the message, and the 400 answer's body is the point here.
  const response = await fetch(buildApiUrl('/catalog/validate-entity'), {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ entity: asDescriptor(entity), location }),
    ...(signal ? { signal } : {}),
  });
  if (response.ok) return [];
  if (response.status !== 400) return undefined;
  const body = (await response.json().catch(() => undefined)) as { errors?: unknown } | undefined;
  if (!Array.isArray(body?.errors)) return undefined;
  return body.errors
    .filter(
      (e): e is { message: string; field?: unknown; name?: unknown } =>
        typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string',
    )
    .map((e) => ({ message: e.message, ...(typeof e.field === 'string' && e.field ? { field: e.field } : {}) }));
}

/**
 * The verdict on an entity's processing errors; undefined when it has none. Asks the catalog
 * again whenever the entity changes (its etag), and only for entities that have such errors.
 */
export function useShownVersionVerdict(entity: Entity): ShownVersionVerdict | undefined {
  const items = processingErrorItems(entity);
  const query = useQuery({
    queryKey: ['catalog', 'shown-version', stringifyEntityRef(entity), entity.metadata.etag ?? '', items.length],
    queryFn: ({ signal }) => validateShownVersion(entity, signal).then((v) => v ?? null),
    enabled: items.length > 0,
    retry: false,
    staleTime: 60_000,
  });
  if (items.length === 0) return undefined;
  return judgeShownVersion(items, query.data ?? undefined);
}
