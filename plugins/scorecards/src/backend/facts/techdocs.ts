import { CoalescingQueue, type EventsService, type Logger } from '@atrium/backend-plugin-api';
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
 * registers the provider reading them. `onBuild` is called with the entity whose outcome changed
 * (or was heard for the first time), so it is evaluated again. Outcomes are kept in memory at once
 * and written to the table in batches (the last outcome per entity, one statement per batch), so a
 * bulk TechDocs sync costs a few writes, not one per site. Returns the function that stops following (after the last write).
 */
export async function followTechdocsBuilds(deps: {
  events: EventsService;
  store: ScorecardStore;
  logger: Logger;
  register: (provider: FactProvider) => void;
  onBuild: (entityRef: string) => void;
}): Promise<() => Promise<void>> {
  const builds = await deps.store.techdocsBuilds();
  let seenAny = builds.size > 0;
  deps.register(techdocsFactProvider(() => ({ seenAny, builds })));
  const writes = new CoalescingQueue<boolean>(
    (batch) =>
      deps.store.recordTechdocsBuilds(
        [...batch].map(([entityRef, ok]) => ({ entityRef, ok })),
        new Date(),
      ),
    { onError: (err, keys) => deps.logger.warn({ err, keys }, 'scorecards: could not record TechDocs build outcomes; retrying') },
  );
  // Every replica hears every build (the event bus), so each keeps its map by the events alone:
  // reloading the table per build made a bulk sync of n sites cost n² rows.
  const unsubscribe = deps.events.subscribe(techdocsBuildFinished, ({ payload }) => {
    const entityRef = payload.entityRef.toLowerCase();
    const ok = payload.status === 'built';
    // The same outcome as the last one heard (a periodic re-check of a source without docs, or of
    // an unchanged site) changes no fact: the entity is not evaluated again.
    const unchanged = seenAny && builds.get(entityRef) === ok;
    seenAny = true;
    builds.set(entityRef, ok);
    writes.add(entityRef, ok);
    if (!unchanged) deps.onBuild(entityRef);
  });
  return async () => {
    unsubscribe();
    // Outcomes heard but not written yet are written before the database closes (unless it fails for 5 s).
    await Promise.race([writes.idle(), new Promise((r) => setTimeout(r, 5000).unref())]);
    writes.stop();
  };
}
