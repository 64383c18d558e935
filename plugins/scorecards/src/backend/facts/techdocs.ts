import type { EventsService, Logger } from '@atrium/backend-plugin-api';
import { techdocsBuildFinished, TECHDOCS_REF_ANNOTATION } from '@atrium/plugin-techdocs/common';
import type { ScorecardStore } from '../store.js';
import { refOf } from './builtins.js';
import { UNKNOWN, type FactProvider, type FactResult } from './types.js';

/**
 * `techdocsBuilt`: the outcome of the entity's last TechDocs build, from the topic the TechDocs
 * plugin declares (`techdocsBuildFinished`, `{ entityRef, status: 'built' | 'failed' }`). Until any
 * outcome has been recorded the fact is unknown (TechDocs may not be installed); an entity without
 * a techdocs-ref annotation is known not to have docs.
 */
export function techdocsFactProvider(lookup: () => { seenAny: boolean; builds: Map<string, boolean> }): FactProvider {
  return {
    id: 'techdocs',
    facts: ['techdocsBuilt'],
    compute(entities) {
      const { seenAny, builds } = lookup();
      return new Map(
        entities.map((e): [string, Record<string, FactResult>] => {
          const ref = refOf(e);
          if (!e.metadata.annotations?.[TECHDOCS_REF_ANNOTATION]) return [ref, { techdocsBuilt: false }];
          if (!seenAny) return [ref, { techdocsBuilt: UNKNOWN }];
          return [ref, { techdocsBuilt: builds.get(ref) ?? false }];
        }),
      );
    },
  };
}

/**
 * Keeps the recorded TechDocs build outcomes (table techdocs_builds, shared by the replicas) and
 * registers the provider reading them. `onBuild` is called with the entity whose outcome changed,
 * so it is evaluated again. Returns the unsubscribe function.
 */
export async function followTechdocsBuilds(deps: {
  events: EventsService;
  store: ScorecardStore;
  logger: Logger;
  register: (provider: FactProvider) => void;
  onBuild: (entityRef: string) => void;
}): Promise<() => void> {
  const builds = await deps.store.techdocsBuilds();
  let seenAny = builds.size > 0;
  deps.register(techdocsFactProvider(() => ({ seenAny, builds })));
  // Every replica hears every build (the event bus), so each keeps its map by the events alone:
  // reloading the table per build made a bulk sync of n sites cost n² rows.
  return deps.events.subscribe(techdocsBuildFinished, async ({ payload }) => {
    const entityRef = payload.entityRef.toLowerCase();
    const ok = payload.status === 'built';
    await deps.store.recordTechdocsBuild(entityRef, ok, new Date());
    seenAny = true;
    builds.set(entityRef, ok);
    deps.onBuild(entityRef);
  });
}
