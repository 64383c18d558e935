import { applyEntityDefaults, type Entity, type EntityValidator } from '@atrium/catalog-model';
import type { DeferredEntity, LocationError } from '../../common/index.js';
import { isPlainObject } from '../ingestion/fieldPaths.js';
import { findNul, nulMessage } from '../ingestion/nulCharacters.js';
import { refOfRaw } from '../ingestion/processEntity.js';
import { toItem } from '../orchestration/readLocationTree.js';
import type { ProcessedItem } from '../orchestration/types.js';

export type ProvidedResult = { item: ProcessedItem; error?: undefined } | { item?: undefined; entityRef?: string; error: LocationError[] };

/** Where a provider's entity came from, in errors and as its stored source: its location key, or `provider:<name>`. */
export function originOf(provider: string, deferred: Pick<DeferredEntity, 'locationKey'>): string {
  return deferred.locationKey ?? `provider:${provider}`;
}

const ORIGIN = 'backstage.io/managed-by-origin-location';
const MANAGED_BY = 'backstage.io/managed-by-location';

/**
 * Where a provided entity came from, decided here rather than by the provider: an authoritative
 * entity (the provider's own directory data) is marked `provider:<name>`, which the auth module
 * trusts for group membership because only installed backend code registers providers; any other
 * entity may keep the location refs its provider set, but never a `provider:` one, which would let
 * the author of a file the provider read claim that trust (it becomes the location key instead).
 */
function withProviderOrigin(provider: string, entity: Entity, deferred: Pick<DeferredEntity, 'locationKey' | 'authoritative'>): Entity {
  const given = entity.metadata.annotations ?? {};
  let annotations: Record<string, string>;
  if (deferred.authoritative === true) {
    annotations = { ...given, [ORIGIN]: `provider:${provider}`, [MANAGED_BY]: given[MANAGED_BY] ?? `provider:${provider}` };
  } else {
    const claimsProvider = (key: string) => (given[key] ?? '').startsWith('provider:');
    // A claimed provider origin becomes the location key, or goes when there is none.
    annotations = Object.fromEntries(
      Object.entries(given).flatMap(([key, value]): Array<[string, string]> =>
        claimsProvider(key) && (key === ORIGIN || key === MANAGED_BY) ? (deferred.locationKey ? [[key, deferred.locationKey]] : []) : [[key, value]],
      ),
    );
  }
  return { ...entity, metadata: { ...entity.metadata, annotations } };
}

/**
 * Validates and processes one entity a provider yields, with the same validator (built-in and
 * custom kinds, relation refs) and the same relation building as a descriptor file's entity.
 * `catalog.rules` and `$text`-style placeholders belong to descriptor files and do not apply.
 */
export function processProvidedEntity(provider: string, deferred: DeferredEntity, validator: EntityValidator): ProvidedResult {
  const origin = originOf(provider, deferred);
  const raw: unknown = deferred?.entity;
  if (!isPlainObject(raw)) {
    return {
      error: [
        {
          name: 'InputError',
          kind: 'validation',
          message: `Entity provider ${provider} yielded something that is not an entity object (${origin})`,
          file: origin,
        },
      ],
    };
  }
  const entityRef = refOfRaw(raw);
  const fail = (message: string, field?: string, kind = 'validation'): ProvidedResult => ({
    ...(entityRef ? { entityRef } : {}),
    error: [
      {
        name: 'InputError',
        kind,
        message: `Entity provider ${provider}: ${message}`,
        file: origin,
        ...(field ? { field } : {}),
        ...(entityRef ? { entityRef } : {}),
      },
    ],
  });
  const nulAt = findNul(raw);
  if (nulAt !== undefined) return fail(nulMessage(nulAt), nulAt || undefined);
  const validation = validator.validate(raw, { rejectOutputFields: true });
  if (!validation.ok) {
    const relationPaths = new Set(validator.relations(raw).errors.map((e) => e.path));
    const first = validation.errors;
    return {
      ...(entityRef ? { entityRef } : {}),
      error: first.map((issue) => ({
        name: 'InputError',
        kind: relationPaths.has(issue.path) ? 'relation' : 'validation',
        message: `Entity provider ${provider}: ${issue.message}`,
        file: origin,
        ...(issue.path ? { field: issue.path } : {}),
        ...(entityRef ? { entityRef } : {}),
      })),
    };
  }
  const entity = applyEntityDefaults(withProviderOrigin(provider, raw as unknown as Entity, deferred));
  // uid and etag belong to the store; relations and status are computed by the catalog.
  const { uid: _uid, etag: _etag, ...metadata } = entity.metadata;
  const { relations: _relations, status: _status, ...rest } = entity;
  const item = toItem({ ...rest, metadata } as Entity, [], origin, null, validator, entityRef);
  if (deferred.locationKey) item.locationKey = deferred.locationKey;
  return { item };
}
