import type { Entity } from '@atrium/catalog-model';

/** Returned by a provider for a fact it cannot tell for an entity. */
export const UNKNOWN: unique symbol = Symbol('scorecards.unknown-fact');
export type FactResult = unknown | typeof UNKNOWN;

/** What the host gives providers while computing facts for a batch of entities. */
export interface FactContext {
  /** Whether an entity ref (kind:namespace/name, lower case) exists in the catalog. */
  entityExists(ref: string): boolean;
  /** When the entity last changed in the catalog, as first seen by scorecards. */
  changedAt(ref: string): Date | undefined;
  now: Date;
  /** `sweep`: the scheduled full evaluation; `event`: one entity changed. Slow providers may skip events. */
  trigger: 'sweep' | 'event';
  signal?: AbortSignal;
}

/**
 * Computes facts for entities. Other plugins register providers through `scorecardsFactsRef`.
 * `compute` gets a batch and returns, per entity ref, a value for each fact it provides
 * (UNKNOWN when it cannot tell). A fact missing from the returned map is kept from the last run.
 */
export interface FactProvider {
  id: string;
  /** Names of the facts it provides, usable as `facts.<name>` in conditions. */
  facts: string[];
  /** Only run in scheduled sweeps (e.g. providers that read git). Default false. */
  sweepOnly?: boolean;
  compute(entities: Entity[], ctx: FactContext): Promise<Map<string, Record<string, FactResult>>> | Map<string, Record<string, FactResult>>;
}

/** The service scorecards provides to other plugins (`scorecardsFactsRef`). */
export interface ScorecardsFactsService {
  registerFactProvider(provider: FactProvider): void;
}
