import type { Logger } from '@atrium/backend-plugin-api';
import type { Entity } from '@atrium/catalog-model';
import type { EntityCheck, EntityCheckProblem } from '../../common/index.js';
import type { IngestedEntity, IngestionError } from '../ingestion/index.js';
import { parseFieldPath } from '../ingestion/parseYaml.js';
import { formatPath } from '../ingestion/fieldPaths.js';

const CHECK_ID = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;

/**
 * Checks other plugins add to the catalog's processing (CatalogService.registerEntityCheck): the
 * scaffolder, say, refuses a Template whose steps cannot run. A valid entity of a checked kind
 * is still stored, but carries each problem as a processing error (on its page and in its
 * location's errors), at the line of the field the problem names.
 */
export class EntityChecks {
  private readonly checks = new Map<string, EntityCheck>();
  /** The lower-case kinds of each change so far, oldest first: change n is `changes[n - 1]`. */
  private readonly changes: string[][] = [];

  constructor(private readonly logger: Logger) {}

  /** Adds a check; a second one under the same id is refused. Returns its removal. */
  add(check: EntityCheck): () => void {
    if (!CHECK_ID.test(check.id)) throw new TypeError(`Entity check id "${check.id}" is not valid: use <pluginId>.<name>, e.g. "scaffolder.template-steps"`);
    if (this.checks.has(check.id)) throw new Error(`An entity check "${check.id}" is already registered`);
    if (check.kinds.length === 0) throw new TypeError(`Entity check "${check.id}" names no kinds`);
    this.checks.set(check.id, check);
    this.changed(check.kinds);
    return () => {
      if (this.checks.get(check.id) === check) {
        this.checks.delete(check.id);
        this.changed(check.kinds);
      }
    };
  }

  /** Bumped by every change to what the checks decide: a read that started before one is read again if it stored entities of those kinds. */
  get version(): number {
    return this.changes.length;
  }

  /** What the checks decide on entities of these kinds changed (an action was registered, say). */
  changed(kinds: readonly string[]): void {
    this.changes.push(kinds.map((k) => k.toLowerCase()));
  }

  /** Lower-case kinds whose checks changed after `version`. */
  kindsChangedSince(version: number): string[] {
    return [...new Set(this.changes.slice(version).flat())];
  }

  /** Lower-case kinds some check looks at. */
  kinds(): string[] {
    return [...new Set([...this.checks.values()].flatMap((c) => c.kinds.map((k) => k.toLowerCase())))];
  }

  /**
   * The problems of one valid entity as ingestion errors: at the named field's line (or its
   * nearest ancestor's), else at the entity's first line. A check that throws is logged and
   * skipped: a bug in a check must not flag every entity of its kind.
   */
  async run(entity: Entity, ingested: Pick<IngestedEntity, 'fieldLines' | 'source'>): Promise<IngestionError[]> {
    const kind = entity.kind.toLowerCase();
    const errors: IngestionError[] = [];
    for (const check of this.checks.values()) {
      if (!check.kinds.some((k) => k.toLowerCase() === kind)) continue;
      let problems: EntityCheckProblem[];
      try {
        problems = await check.check(entity);
      } catch (e) {
        this.logger.warn(
          { err: e, check: check.id, kind: entity.kind, name: entity.metadata.name },
          `catalog: entity check ${check.id} failed: ${(e as Error).message}`,
        );
        continue;
      }
      for (const p of problems) {
        const line = (p.field ? lineOf(p.field, ingested.fieldLines) : undefined) ?? ingested.source.line;
        errors.push({
          kind: 'validation',
          message: p.message,
          file: ingested.source.url,
          line,
          ...(p.field ? { field: p.field } : {}),
        });
      }
    }
    return errors;
  }
}

/** The line of `field`, or of its nearest ancestor that has one. */
export function lineOf(field: string, lines: Record<string, number> | undefined): number | undefined {
  if (!lines) return undefined;
  const segments = parseFieldPath(field);
  for (let n = segments.length; n > 0; n--) {
    const line = lines[formatPath(segments.slice(0, n))];
    if (line !== undefined) return line;
  }
  return undefined;
}
